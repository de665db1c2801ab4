using CanaryDemo.Store.V1;

namespace CanaryDemo.ApiService.Items.Contracts;

/// <summary>
/// Body of <c>PUT /api/v1/items/{id}</c>: replaces every mutable field. The inventory count is
/// not one of them; it changes only through the inventory endpoint. Other members of an item
/// (id, version, timestamps, inventory_count) are ignored, so a client may send back what it read.
/// </summary>
public sealed class UpdateItemRequest
{
    public string? Name { get; init; }

    public string? Description { get; init; }

    public decimal? Price { get; init; }

    public ItemCategory? Category { get; init; }

    public ItemStatus? Status { get; init; }

    public string? Sku { get; init; }

    public IReadOnlyList<string?>? Tags { get; init; }
}
