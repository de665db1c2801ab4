namespace CanaryDemo.ApiService.Items.Contracts;

/// <summary>Body of <c>PATCH /api/v1/items/{id}/inventory</c>.</summary>
public sealed class InventoryChangeRequest
{
    /// <summary>Added to the inventory count; negative for a sale. Never zero.</summary>
    public long? QuantityChange { get; init; }

    public string? Reason { get; init; }

    /// <summary>Recorded as updated_by; defaults to X-User-ID.</summary>
    public string? UpdatedBy { get; init; }
}
