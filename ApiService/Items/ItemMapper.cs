using CanaryDemo.ApiService.Items.Contracts;
using CanaryDemo.ApiService.Requests;
using Proto = CanaryDemo.Store.V1;

namespace CanaryDemo.ApiService.Items;

/// <summary>
/// Converts between the HTTP contracts and the store's messages. It judges no item rule: those
/// are the store's (docs/store-service.md, "Validation"), and its InvalidArgument comes back as a
/// 400 with its field errors. It refuses only what the store's message cannot carry faithfully:
/// a price that is no exact DecimalValue, a null tag, a missing quantity_change (proto3 would
/// send 0). Anything missing that the store can see as missing goes as empty, absent or UNSPECIFIED.
/// </summary>
internal static class ItemMapper
{
    public static Proto.CreateItemRequest ToProto(CreateItemRequest request, RequestCaller caller, string idempotencyKey, FieldErrors errors) => new()
    {
        TenantId = caller.TenantId,
        Name = request.Name ?? string.Empty,
        Description = request.Description ?? string.Empty,
        Price = ToProtoPrice(request.Price, errors),
        Category = ToProto(request.Category),
        Status = ToProto(request.Status),
        Sku = request.Sku ?? string.Empty,
        InventoryCount = request.InventoryCount ?? 0,
        Tags = { ToProtoTags(request.Tags, errors) },
        CreatedBy = caller.UserId,
        IdempotencyKey = idempotencyKey,
    };

    public static Proto.UpdateItemRequest ToProto(string id, UpdateItemRequest request, RequestCaller caller, long? expectedVersion, FieldErrors errors)
    {
        var message = new Proto.UpdateItemRequest
        {
            TenantId = caller.TenantId,
            Id = id,
            Name = request.Name ?? string.Empty,
            Description = request.Description ?? string.Empty,
            Price = ToProtoPrice(request.Price, errors),
            Category = ToProto(request.Category),
            Status = ToProto(request.Status),
            Sku = request.Sku ?? string.Empty,
            Tags = { ToProtoTags(request.Tags, errors) },
            UpdatedBy = caller.UserId,
        };
        if (expectedVersion is { } version)
        {
            message.ExpectedVersion = version;
        }

        return message;
    }

    public static Proto.UpdateInventoryRequest ToProto(string id, InventoryChangeRequest request, RequestCaller caller, string idempotencyKey, FieldErrors errors)
    {
        if (request.QuantityChange is null)
        {
            errors.Add("quantity_change", "is required");
        }

        return new Proto.UpdateInventoryRequest
        {
            TenantId = caller.TenantId,
            Id = id,
            QuantityChange = request.QuantityChange ?? 0,
            Reason = request.Reason ?? string.Empty,
            // The original example's body field wins over X-User-ID (a till may act for another user),
            // never over a user a token has proven.
            UpdatedBy = caller.UserVerified || string.IsNullOrEmpty(request.UpdatedBy) ? caller.UserId : request.UpdatedBy,
            IdempotencyKey = idempotencyKey,
        };
    }

    public static Proto.ListItemsRequest ToProto(ListQuery query, RequestCaller caller)
    {
        var message = new Proto.ListItemsRequest
        {
            TenantId = caller.TenantId,
            Category = ToProto(query.Category),
            Status = ToProto(query.Status),
            Search = query.Search ?? string.Empty,
            PageToken = query.PageToken ?? string.Empty,
        };
        if (query.PageSize is { } pageSize)
        {
            // Absent means the store's default; an explicit 0 goes as 0 and the store refuses it.
            message.PageSize = pageSize;
        }

        return message;
    }

    public static ItemResponse ToResponse(Proto.Item item) => new(
        item.Id,
        item.TenantId,
        item.Name,
        item.Description,
        item.Price?.ToDecimal() ?? 0m,
        Named(item.Category),
        Named(item.Status),
        item.Sku,
        item.InventoryCount,
        [.. item.Tags],
        item.CreatedAt?.ToDateTime(),
        item.UpdatedAt?.ToDateTime(),
        item.CreatedBy,
        item.UpdatedBy,
        item.Version);

    public static ItemPage ToResponse(Proto.ListItemsResponse page) => new(
        [.. page.Items.Select(ToResponse)],
        string.IsNullOrEmpty(page.NextPageToken) ? null : page.NextPageToken);

    /// <summary>A missing price stays absent (the store answers "is required"); a price no DecimalValue holds exactly is refused here.</summary>
    private static Proto.DecimalValue? ToProtoPrice(decimal? price, FieldErrors errors)
    {
        if (price is null)
        {
            return null;
        }

        if (Proto.DecimalValue.TryFromDecimal(price.Value, out var value))
        {
            return value;
        }

        errors.Add("price", "cannot be sent exactly: at most 9 decimal places and an integer part within 64 bits");
        return null;
    }

    /// <summary>JSON allows null array elements; a repeated string field does not.</summary>
    private static List<string> ToProtoTags(IReadOnlyList<string?>? tags, FieldErrors errors)
    {
        var result = new List<string>(tags?.Count ?? 0);
        for (var i = 0; i < tags?.Count; i++)
        {
            if (tags[i] is { } tag)
            {
                result.Add(tag);
            }
            else
            {
                errors.Add($"tags[{i}]", "must be a string, not null");
            }
        }

        return result;
    }

    // A missing category or status is UNSPECIFIED: the store requires a category, and a status on
    // update, and makes a create without one active.
    private static Proto.ItemCategory ToProto(Proto.ItemCategory? category) => category ?? Proto.ItemCategory.Unspecified;

    private static Proto.ItemStatus ToProto(Proto.ItemStatus? status) => status ?? Proto.ItemStatus.Unspecified;

    // UNSPECIFIED (or a value newer than this build) has no name and is written as null.
    private static Proto.ItemCategory? Named(Proto.ItemCategory category) =>
        Proto.ItemEnumNames.Categories.IsKnown(category) ? category : null;

    private static Proto.ItemStatus? Named(Proto.ItemStatus status) =>
        Proto.ItemEnumNames.Statuses.IsKnown(status) ? status : null;
}
