namespace CanaryDemo.ApiService.Items.Contracts;

/// <summary>
/// Body of <c>POST /api/v1/items</c>. Value types are nullable so that a missing field is a
/// field error from validation instead of a silent zero.
/// </summary>
public sealed record CreateItemRequest(
    string? Name,
    string? Description,
    decimal? Price,
    ItemCategory? Category,
    ItemStatus? Status,
    string? Sku,
    long? InventoryCount,
    IReadOnlyList<string?>? Tags);
