using CanaryDemo.Store.V1;

namespace CanaryDemo.ApiService.Items.Contracts;

/// <summary>An item as the HTTP API returns it: the original example's data model plus <c>version</c> (the ETag).</summary>
public sealed record ItemResponse(
    string Id,
    long TenantId,
    string Name,
    string Description,
    decimal Price,
    ItemCategory? Category,
    ItemStatus? Status,
    string Sku,
    long InventoryCount,
    IReadOnlyList<string> Tags,
    DateTime? CreatedAt,
    DateTime? UpdatedAt,
    string CreatedBy,
    string UpdatedBy,
    long Version);
