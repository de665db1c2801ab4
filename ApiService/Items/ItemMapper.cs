using System.Diagnostics;
using CanaryDemo.ApiService.Items.Contracts;
using CanaryDemo.ApiService.Prices;
using CanaryDemo.ApiService.Requests;
using Proto = CanaryDemo.Store.V1;

namespace CanaryDemo.ApiService.Items;

/// <summary>Converts between the HTTP contracts and the store's messages. Requests are validated first.</summary>
internal static class ItemMapper
{
    public static Proto.CreateItemRequest ToProto(CreateItemRequest request, RequestCaller caller, string idempotencyKey) => new()
    {
        TenantId = caller.TenantId,
        Name = request.Name!,
        Description = request.Description ?? string.Empty,
        Price = ToProtoPrice(request.Price),
        Category = ToProto(request.Category!.Value),
        Status = request.Status is { } status ? ToProto(status) : Proto.ItemStatus.Active,
        Sku = request.Sku ?? string.Empty,
        InventoryCount = request.InventoryCount ?? 0,
        Tags = { request.Tags ?? [] },
        CreatedBy = caller.UserId,
        IdempotencyKey = idempotencyKey,
    };

    public static Proto.UpdateItemRequest ToProto(string id, UpdateItemRequest request, RequestCaller caller, long? expectedVersion)
    {
        var message = new Proto.UpdateItemRequest
        {
            TenantId = caller.TenantId,
            Id = id,
            Name = request.Name!,
            Description = request.Description ?? string.Empty,
            Price = ToProtoPrice(request.Price),
            Category = ToProto(request.Category!.Value),
            Status = ToProto(request.Status!.Value),
            Sku = request.Sku ?? string.Empty,
            Tags = { request.Tags ?? [] },
            UpdatedBy = caller.UserId,
        };
        if (expectedVersion is { } version)
        {
            message.ExpectedVersion = version;
        }

        return message;
    }

    public static Proto.UpdateInventoryRequest ToProto(string id, InventoryChangeRequest request, RequestCaller caller, string idempotencyKey) => new()
    {
        TenantId = caller.TenantId,
        Id = id,
        QuantityChange = request.QuantityChange!.Value,
        Reason = request.Reason ?? string.Empty,
        // The seed's body field wins over the header: a till may act for another user.
        UpdatedBy = string.IsNullOrEmpty(request.UpdatedBy) ? caller.UserId : request.UpdatedBy,
        IdempotencyKey = idempotencyKey,
    };

    public static Proto.ListItemsRequest ToProto(ListQuery query, RequestCaller caller)
    {
        var message = new Proto.ListItemsRequest
        {
            TenantId = caller.TenantId,
            Category = query.Category is { } category ? ToProto(category) : Proto.ItemCategory.Unspecified,
            Status = query.Status is { } status ? ToProto(status) : Proto.ItemStatus.Unspecified,
            Search = query.Search ?? string.Empty,
            PageToken = query.PageToken ?? string.Empty,
        };
        if (query.PageSize is { } pageSize)
        {
            // Absent means the store's default; an explicit 0 would be refused.
            message.PageSize = pageSize;
        }

        return message;
    }

    public static ItemResponse ToResponse(Proto.Item item) => new(
        item.Id,
        item.TenantId,
        item.Name,
        item.Description,
        item.Price is null ? 0m : DecimalValues.ToDecimal(item.Price),
        FromProto(item.Category),
        FromProto(item.Status),
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

    private static Proto.DecimalValue ToProtoPrice(decimal? price) =>
        DecimalValues.TryFromDecimal(price!.Value, out var value) ? value : throw new UnreachableException("price was validated");

    private static Proto.ItemCategory ToProto(ItemCategory category) => category switch
    {
        ItemCategory.Electronics => Proto.ItemCategory.Electronics,
        ItemCategory.Clothing => Proto.ItemCategory.Clothing,
        ItemCategory.Books => Proto.ItemCategory.Books,
        ItemCategory.Home => Proto.ItemCategory.Home,
        ItemCategory.Sports => Proto.ItemCategory.Sports,
        _ => throw new UnreachableException($"unknown category {category}"),
    };

    private static Proto.ItemStatus ToProto(ItemStatus status) => status switch
    {
        ItemStatus.Active => Proto.ItemStatus.Active,
        ItemStatus.Inactive => Proto.ItemStatus.Inactive,
        ItemStatus.OutOfStock => Proto.ItemStatus.OutOfStock,
        ItemStatus.Discontinued => Proto.ItemStatus.Discontinued,
        _ => throw new UnreachableException($"unknown status {status}"),
    };

    // UNSPECIFIED (or a value newer than this build) has no HTTP name and is written as null.
    private static ItemCategory? FromProto(Proto.ItemCategory category) => category switch
    {
        Proto.ItemCategory.Electronics => ItemCategory.Electronics,
        Proto.ItemCategory.Clothing => ItemCategory.Clothing,
        Proto.ItemCategory.Books => ItemCategory.Books,
        Proto.ItemCategory.Home => ItemCategory.Home,
        Proto.ItemCategory.Sports => ItemCategory.Sports,
        _ => null,
    };

    private static ItemStatus? FromProto(Proto.ItemStatus status) => status switch
    {
        Proto.ItemStatus.Active => ItemStatus.Active,
        Proto.ItemStatus.Inactive => ItemStatus.Inactive,
        Proto.ItemStatus.OutOfStock => ItemStatus.OutOfStock,
        Proto.ItemStatus.Discontinued => ItemStatus.Discontinued,
        _ => null,
    };
}
