namespace CanaryDemo.ApiService.Items.Contracts;

/// <summary>Body of <c>PATCH /api/v1/items/{id}/inventory</c>.</summary>
public sealed record InventoryChangeRequest(long? QuantityChange, string? Reason, string? UpdatedBy);
