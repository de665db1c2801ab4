using CanaryDemo.ApiService.Items.Contracts;
using CanaryDemo.ApiService.Json;
using CanaryDemo.ApiService.Requests;

namespace CanaryDemo.ApiService.Items;

/// <summary>
/// Checks every request against <see cref="ItemBounds"/> before anything reaches the store, so a
/// bad request is a 400 with field errors and never a half-done write.
/// </summary>
internal static class ItemValidator
{
    public static FieldErrors Validate(CreateItemRequest request)
    {
        var errors = new FieldErrors();
        ValidateCommonFields(errors, request.Name, request.Description, request.Price, request.Category, request.Sku, request.Tags);
        if (request.InventoryCount is < 0 or > ItemBounds.InventoryCountMax)
        {
            errors.Add("inventory_count", $"must be between 0 and {ItemBounds.InventoryCountMax}");
        }

        return errors;
    }

    public static FieldErrors Validate(UpdateItemRequest request)
    {
        var errors = new FieldErrors();
        ValidateCommonFields(errors, request.Name, request.Description, request.Price, request.Category, request.Sku, request.Tags);
        if (request.Status is null)
        {
            // PUT replaces the item; an omitted status would otherwise silently reactivate it.
            errors.Add("status", $"is required (one of {SnakeCaseEnum<ItemStatus>.AllowedNames})");
        }

        return errors;
    }

    public static FieldErrors Validate(InventoryChangeRequest request)
    {
        var errors = new FieldErrors();
        if (request.QuantityChange is null)
        {
            errors.Add("quantity_change", "is required");
        }
        else if (request.QuantityChange is 0 or < -ItemBounds.QuantityChangeMax or > ItemBounds.QuantityChangeMax)
        {
            errors.Add("quantity_change", $"must be a non-zero integer between -{ItemBounds.QuantityChangeMax} and {ItemBounds.QuantityChangeMax}");
        }

        TextRules.Optional(errors, "reason", request.Reason, ItemBounds.ReasonMaxLength);
        TextRules.Optional(errors, "updated_by", request.UpdatedBy, ItemBounds.UserIdMaxLength);
        return errors;
    }

    private static void ValidateCommonFields(
        FieldErrors errors, string? name, string? description, decimal? price, ItemCategory? category, string? sku, IReadOnlyList<string?>? tags)
    {
        TextRules.Required(errors, "name", name, ItemBounds.NameMaxLength);
        TextRules.Optional(errors, "description", description, ItemBounds.DescriptionMaxLength, multiline: true);
        ValidatePrice(errors, price);
        if (category is null)
        {
            errors.Add("category", $"is required (one of {SnakeCaseEnum<ItemCategory>.AllowedNames})");
        }

        if (sku is not null && (sku.Length > ItemBounds.SkuMaxLength || !sku.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            errors.Add("sku", $"must be at most {ItemBounds.SkuMaxLength} letters, digits, '-', '_' or '.'");
        }
        ValidateTags(errors, tags);
    }

    private static void ValidatePrice(FieldErrors errors, decimal? price)
    {
        if (price is null)
        {
            errors.Add("price", "is required");
        }
        else if (price < 0 || price >= ItemBounds.PriceExclusiveMax)
        {
            errors.Add("price", $"must be at least 0 and less than {ItemBounds.PriceExclusiveMax}");
        }
        else if (decimal.Round(price.Value, ItemBounds.PriceMaxDecimals) != price.Value)
        {
            errors.Add("price", $"must have at most {ItemBounds.PriceMaxDecimals} decimal places");
        }
    }

    private static void ValidateTags(FieldErrors errors, IReadOnlyList<string?>? tags)
    {
        if (tags is null)
        {
            return;
        }

        if (tags.Count > ItemBounds.TagsMaxCount)
        {
            errors.Add("tags", $"must have at most {ItemBounds.TagsMaxCount} entries");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < tags.Count; i++)
        {
            TextRules.Required(errors, $"tags[{i}]", tags[i], ItemBounds.TagMaxLength);
            if (tags[i] is { } tag && !seen.Add(tag))
            {
                errors.Add($"tags[{i}]", "duplicates another tag (ignoring case)");
            }
        }
    }
}
