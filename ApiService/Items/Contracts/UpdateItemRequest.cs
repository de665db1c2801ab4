namespace CanaryDemo.ApiService.Items.Contracts;

/// <summary>
/// Body of <c>PUT /api/v1/items/{id}</c>: replaces every mutable field. The inventory count is
/// not one of them; it changes only through the inventory endpoint.
/// </summary>
public sealed record UpdateItemRequest(
    string? Name,
    string? Description,
    decimal? Price,
    ItemCategory? Category,
    ItemStatus? Status,
    string? Sku,
    IReadOnlyList<string?>? Tags);
