using CanaryDemo.Store.V1;
using CanaryDemo.StoreService.Paging;

namespace CanaryDemo.StoreService.Items;

// Validated, parsed requests: the data layer only ever sees values that passed ItemRequestValidator.

internal sealed record ItemFields(
    string Name, string Description, decimal Price, ItemCategory Category, ItemStatus Status, string Sku,
    IReadOnlyList<string> Tags);

internal sealed record NewItem(
    long TenantId, ItemFields Fields, long InventoryCount, string CreatedBy, string? IdempotencyKey);

internal sealed record ItemReplacement(
    long TenantId, Guid Id, ItemFields Fields, string UpdatedBy, long? ExpectedVersion);

internal sealed record ItemDeletion(long TenantId, Guid Id, string UpdatedBy);

internal sealed record InventoryChange(
    long TenantId, Guid Id, long QuantityChange, string Reason, string UpdatedBy, string? IdempotencyKey);

internal sealed record ItemListQuery(
    long TenantId, ItemCategory? Category, ItemStatus? Status, string Search, int PageSize, ListPosition? StartAfter)
{
    public ListFilter Filter => new(Category, Status, Search);
}
