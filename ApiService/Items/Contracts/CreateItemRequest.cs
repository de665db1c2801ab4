using CanaryDemo.Store.V1;

namespace CanaryDemo.ApiService.Items.Contracts;

/// <summary>
/// Body of <c>POST /api/v1/items</c>. Every member is optional for the JSON reader: a missing
/// name, price or category reaches the store as empty, absent or UNSPECIFIED, and the store names
/// it as a field error (docs/store-service.md, "Validation"), never a silent zero.
/// </summary>
public sealed class CreateItemRequest
{
    public string? Name { get; init; }

    public string? Description { get; init; }

    public decimal? Price { get; init; }

    public ItemCategory? Category { get; init; }

    /// <summary>Absent means <c>active</c> (the store's default).</summary>
    public ItemStatus? Status { get; init; }

    public string? Sku { get; init; }

    public long? InventoryCount { get; init; }

    public IReadOnlyList<string?>? Tags { get; init; }
}
