using System.Globalization;
using CanaryDemo.ApiService.Items.Contracts;
using CanaryDemo.ApiService.Json;
using CanaryDemo.ApiService.Requests;

namespace CanaryDemo.ApiService.Items;

/// <summary>The validated query of <c>GET /api/v1/items</c>.</summary>
internal sealed record ListQuery(ItemCategory? Category, ItemStatus? Status, string? Search, int? PageSize, string? PageToken)
{
    /// <summary>Parses the raw query values; every problem becomes a field error named after its parameter.</summary>
    public static ListQuery Parse(string? category, string? status, string? search, string? pageSize, string? pageToken, FieldErrors errors)
    {
        ItemCategory? parsedCategory = null;
        if (category is not null)
        {
            if (SnakeCaseEnum<ItemCategory>.TryParse(category, out var value))
            {
                parsedCategory = value;
            }
            else
            {
                errors.Add("category", $"must be one of {SnakeCaseEnum<ItemCategory>.AllowedNames}");
            }
        }

        ItemStatus? parsedStatus = null;
        if (status is not null)
        {
            if (SnakeCaseEnum<ItemStatus>.TryParse(status, out var value))
            {
                parsedStatus = value;
            }
            else
            {
                errors.Add("status", $"must be one of {SnakeCaseEnum<ItemStatus>.AllowedNames}");
            }
        }

        TextRules.Optional(errors, "search", search, ItemBounds.SearchMaxLength);

        int? parsedPageSize = null;
        if (pageSize is not null)
        {
            if (int.TryParse(pageSize, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size is >= 1 and <= ItemBounds.PageSizeMax)
            {
                parsedPageSize = size;
            }
            else
            {
                errors.Add("page_size", $"must be an integer between 1 and {ItemBounds.PageSizeMax}");
            }
        }

        if (pageToken is not null && !IsWellFormedToken(pageToken))
        {
            errors.Add("page_token", "is not a page token issued by this API");
        }

        return new ListQuery(parsedCategory, parsedStatus, string.IsNullOrEmpty(search) ? null : search, parsedPageSize, pageToken);
    }

    // Tokens are opaque and verified by the store; this only turns obvious garbage into a 400
    // without a store call. The store's tokens use the URL-safe base64 alphabet (plus '.').
    private static bool IsWellFormedToken(string token) =>
        token.Length is > 0 and <= ItemBounds.PageTokenMaxLength
        && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '=');
}
