namespace CanaryDemo.ApiService.Items.Contracts;

/// <summary>
/// Body of <c>POST /api/v1/items</c>. Every member is optional for the JSON reader; ItemValidator
/// names what is missing, so a missing field is a field error instead of a silent zero.
/// </summary>
public sealed class CreateItemRequest
{
    public string? Name { get; init; }

    public string? Description { get; init; }

    public decimal? Price { get; init; }

    public ItemCategory? Category { get; init; }

    /// <summary>Defaults to <c>active</c>.</summary>
    public ItemStatus? Status { get; init; }

    public string? Sku { get; init; }

    public long? InventoryCount { get; init; }

    public IReadOnlyList<string?>? Tags { get; init; }
}
