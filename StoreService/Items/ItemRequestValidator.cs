using CanaryDemo.Store.V1;
using CanaryDemo.StoreService.Paging;
using Google.Protobuf.Collections;

namespace CanaryDemo.StoreService.Items;

/// <summary>
/// Turns each gRPC request into a validated command, or throws InvalidArgument naming every bad
/// field (proto field names, e.g. <c>tags[2]</c>). Bounds live in <see cref="ItemLimits"/>.
/// </summary>
internal static class ItemRequestValidator
{
    public static NewItem Validate(CreateItemRequest request)
    {
        var errors = new FieldErrors();
        CheckTenant(errors, request.TenantId);
        var fields = CheckFields(
            errors, request.Name, request.Description, request.Price, request.Category,
            request.Status == ItemStatus.Unspecified ? ItemStatus.Active : request.Status, request.Sku, request.Tags);
        if (request.InventoryCount is < 0 or > ItemLimits.InventoryMaximum)
        {
            errors.Add("inventory_count", $"must be between 0 and {ItemLimits.InventoryMaximum}");
        }

        CheckText(errors, "created_by", request.CreatedBy, ItemLimits.ActorMaxLength);
        CheckIdempotencyKey(errors, request.IdempotencyKey);
        errors.ThrowIfAny();
        return new NewItem(request.TenantId, fields, request.InventoryCount, request.CreatedBy,
            NullIfEmpty(request.IdempotencyKey));
    }

    public static (long TenantId, Guid Id) Validate(GetItemRequest request)
    {
        var errors = new FieldErrors();
        CheckTenant(errors, request.TenantId);
        var id = CheckId(errors, request.Id);
        errors.ThrowIfAny();
        return (request.TenantId, id);
    }

    public static ItemReplacement Validate(UpdateItemRequest request)
    {
        var errors = new FieldErrors();
        CheckTenant(errors, request.TenantId);
        var id = CheckId(errors, request.Id);
        if (request.Status == ItemStatus.Unspecified)
        {
            errors.Add("status", "is required");
        }

        var fields = CheckFields(
            errors, request.Name, request.Description, request.Price, request.Category, request.Status,
            request.Sku, request.Tags);
        CheckText(errors, "updated_by", request.UpdatedBy, ItemLimits.ActorMaxLength);
        if (request.HasExpectedVersion && request.ExpectedVersion < 1)
        {
            errors.Add("expected_version", "must be a positive version number");
        }

        errors.ThrowIfAny();
        return new ItemReplacement(request.TenantId, id, fields, request.UpdatedBy,
            request.HasExpectedVersion ? request.ExpectedVersion : null);
    }

    public static ItemDeletion Validate(DeleteItemRequest request)
    {
        var errors = new FieldErrors();
        CheckTenant(errors, request.TenantId);
        var id = CheckId(errors, request.Id);
        CheckText(errors, "updated_by", request.UpdatedBy, ItemLimits.ActorMaxLength);
        errors.ThrowIfAny();
        return new ItemDeletion(request.TenantId, id, request.UpdatedBy);
    }

    public static InventoryChange Validate(UpdateInventoryRequest request)
    {
        var errors = new FieldErrors();
        CheckTenant(errors, request.TenantId);
        var id = CheckId(errors, request.Id);
        // No Math.Abs: it overflows on long.MinValue.
        if (request.QuantityChange is 0 or < -ItemLimits.InventoryMaximum or > ItemLimits.InventoryMaximum)
        {
            errors.Add("quantity_change",
                $"must be non-zero and between -{ItemLimits.InventoryMaximum} and {ItemLimits.InventoryMaximum}");
        }

        CheckText(errors, "reason", request.Reason, ItemLimits.ReasonMaxLength);
        CheckText(errors, "updated_by", request.UpdatedBy, ItemLimits.ActorMaxLength);
        CheckIdempotencyKey(errors, request.IdempotencyKey);
        errors.ThrowIfAny();
        return new InventoryChange(request.TenantId, id, request.QuantityChange, request.Reason,
            request.UpdatedBy, NullIfEmpty(request.IdempotencyKey));
    }

    public static ItemListQuery Validate(ListItemsRequest request, PageTokenCodec pageTokens)
    {
        var errors = new FieldErrors();
        CheckTenant(errors, request.TenantId);
        if (request.Category != ItemCategory.Unspecified && !ItemEnumNames.Categories.IsKnown(request.Category))
        {
            errors.Add("category", "is not a known category");
        }

        if (request.Status != ItemStatus.Unspecified && !ItemEnumNames.Statuses.IsKnown(request.Status))
        {
            errors.Add("status", "is not a known status");
        }

        CheckText(errors, "search", request.Search, ItemLimits.SearchMaxLength);
        var pageSize = request.HasPageSize ? request.PageSize : ItemLimits.DefaultPageSize;
        if (pageSize is < 1 or > ItemLimits.MaxPageSize)
        {
            errors.Add("page_size", $"must be between 1 and {ItemLimits.MaxPageSize}");
        }

        errors.ThrowIfAny();

        var filter = new ListFilter(
            request.Category == ItemCategory.Unspecified ? null : request.Category,
            request.Status == ItemStatus.Unspecified ? null : request.Status,
            request.Search);
        ListPosition? startAfter = null;
        if (request.PageToken.Length > 0)
        {
            startAfter = pageTokens.Decode(request.PageToken, request.TenantId, filter, out var problem);
            if (startAfter is null)
            {
                errors.Add("page_token", problem!);
                errors.ThrowIfAny();
            }
        }

        return new ItemListQuery(request.TenantId, filter.Category, filter.Status, filter.Search, pageSize, startAfter);
    }

    private static ItemFields CheckFields(
        FieldErrors errors, string name, string description, DecimalValue? price, ItemCategory category,
        ItemStatus status, string sku, RepeatedField<string> tags)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            errors.Add("name", "must not be empty");
        }
        else
        {
            CheckText(errors, "name", name, ItemLimits.NameMaxLength);
        }

        CheckText(errors, "description", description, ItemLimits.DescriptionMaxLength, allowLineBreaks: true);
        var amount = CheckPrice(errors, price);
        if (!ItemEnumNames.Categories.IsKnown(category))
        {
            errors.Add("category", category == ItemCategory.Unspecified ? "is required" : "is not a known category");
        }

        if (status != ItemStatus.Unspecified && !ItemEnumNames.Statuses.IsKnown(status))
        {
            errors.Add("status", "is not a known status");
        }

        if (sku.Length > ItemLimits.SkuMaxLength || !sku.All(IsSkuCharacter))
        {
            errors.Add("sku", $"must be at most {ItemLimits.SkuMaxLength} letters, digits, '-', '_' or '.'");
        }

        CheckTags(errors, tags);
        return new ItemFields(name, description, amount, category, status, sku, [.. tags]);
    }

    private static decimal CheckPrice(FieldErrors errors, DecimalValue? price)
    {
        if (price is null)
        {
            errors.Add("price", "is required");
            return 0;
        }

        if (!price.IsWellFormed)
        {
            errors.Add("price", "nanos must be within ±999,999,999 and have the sign of units");
            return 0;
        }

        var amount = price.ToDecimal();
        if (amount < 0)
        {
            errors.Add("price", "must not be negative");
        }
        else if (amount >= ItemLimits.PriceExclusiveMaximum)
        {
            errors.Add("price", $"must be less than {ItemLimits.PriceExclusiveMaximum}");
        }

        // ToDecimal drops trailing zeros, so the scale counts significant places (0.10 has 1).
        if (amount.Scale > ItemLimits.PriceMaxDecimals)
        {
            errors.Add("price", $"must have at most {ItemLimits.PriceMaxDecimals} decimal places");
        }

        return amount;
    }

    private static void CheckTags(FieldErrors errors, RepeatedField<string> tags)
    {
        if (tags.Count > ItemLimits.MaxTags)
        {
            errors.Add("tags", $"must contain at most {ItemLimits.MaxTags} tags");
            return;
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < tags.Count; i++)
        {
            var field = $"tags[{i}]";
            if (string.IsNullOrWhiteSpace(tags[i]))
            {
                errors.Add(field, "must not be empty");
            }
            else if (CheckText(errors, field, tags[i], ItemLimits.TagMaxLength) && !seen.Add(tags[i]))
            {
                errors.Add(field, "duplicates another tag");
            }
        }
    }

    private static void CheckTenant(FieldErrors errors, long tenantId)
    {
        if (tenantId < 1)
        {
            errors.Add("tenant_id", "must be a positive integer");
        }
    }

    private static Guid CheckId(FieldErrors errors, string id)
    {
        if (!ItemIds.TryParse(id, out var parsed))
        {
            errors.Add("id", "must be a UUID such as 0190a3c4-5b6d-7e8f-9a0b-1c2d3e4f5a6b");
        }

        return parsed;
    }

    private static void CheckIdempotencyKey(FieldErrors errors, string key)
    {
        if (key.Length > ItemLimits.IdempotencyKeyMaxLength || !key.All(IsVisibleAscii))
        {
            errors.Add("idempotency_key", $"must be at most {ItemLimits.IdempotencyKeyMaxLength} visible ASCII characters");
        }
    }

    /// <summary>Checks length and control characters; returns whether the value passed.</summary>
    private static bool CheckText(FieldErrors errors, string field, string value, int maxLength, bool allowLineBreaks = false)
    {
        if (value.Length > maxLength)
        {
            errors.Add(field, $"must be at most {maxLength} characters");
            return false;
        }

        if (value.Any(c => char.IsControl(c) && !(allowLineBreaks && c is '\n' or '\r' or '\t')))
        {
            errors.Add(field, "must not contain control characters");
            return false;
        }

        return true;
    }

    private static bool IsSkuCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.';

    private static bool IsVisibleAscii(char c) => c is > ' ' and <= '~';

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
