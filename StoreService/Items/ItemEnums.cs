using CanaryDemo.Store.V1;

namespace CanaryDemo.StoreService.Items;

/// <summary>
/// Stored names of the enums (the HTTP API's snake_case spelling). Explicit tables rather than
/// reflection, so the names are stable and the code stays AOT-safe.
/// </summary>
internal static class ItemEnums
{
    public static bool IsKnown(ItemCategory category) =>
        category is ItemCategory.Electronics or ItemCategory.Clothing or ItemCategory.Books
            or ItemCategory.Home or ItemCategory.Sports;

    public static bool IsKnown(ItemStatus status) =>
        status is ItemStatus.Active or ItemStatus.Inactive or ItemStatus.OutOfStock or ItemStatus.Discontinued;

    public static string ToStoredName(ItemCategory category) => category switch
    {
        ItemCategory.Electronics => "electronics",
        ItemCategory.Clothing => "clothing",
        ItemCategory.Books => "books",
        ItemCategory.Home => "home",
        ItemCategory.Sports => "sports",
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, "Not a storable category."),
    };

    public static string ToStoredName(ItemStatus status) => status switch
    {
        ItemStatus.Active => "active",
        ItemStatus.Inactive => "inactive",
        ItemStatus.OutOfStock => "out_of_stock",
        ItemStatus.Discontinued => "discontinued",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not a storable status."),
    };

    public static ItemCategory ParseCategory(string stored) => stored switch
    {
        "electronics" => ItemCategory.Electronics,
        "clothing" => ItemCategory.Clothing,
        "books" => ItemCategory.Books,
        "home" => ItemCategory.Home,
        "sports" => ItemCategory.Sports,
        _ => throw new FormatException($"Unknown stored category '{stored}'."),
    };

    public static ItemStatus ParseStatus(string stored) => stored switch
    {
        "active" => ItemStatus.Active,
        "inactive" => ItemStatus.Inactive,
        "out_of_stock" => ItemStatus.OutOfStock,
        "discontinued" => ItemStatus.Discontinued,
        _ => throw new FormatException($"Unknown stored status '{stored}'."),
    };
}
