using CanaryDemo.Store.V1;

namespace CanaryDemo.StoreService.Tests.Infrastructure;

/// <summary>Request builders with valid defaults, so each test states only what it is about.</summary>
internal static class ItemRequests
{
    public static DecimalValue Price(long units, int nanos) => new() { Units = units, Nanos = nanos };

    public static CreateItemRequest NewItem(long tenantId, string name = "Wireless Headphones") => new()
    {
        TenantId = tenantId,
        Name = name,
        Description = "Premium noise-canceling headphones",
        Price = Price(299, 990_000_000),
        Category = ItemCategory.Electronics,
        Status = ItemStatus.Active,
        Sku = "WH-001",
        InventoryCount = 150,
        Tags = { "wireless", "noise-canceling", "premium" },
        CreatedBy = "user123",
    };

    public static UpdateItemRequest Replacement(Item item) => new()
    {
        TenantId = item.TenantId,
        Id = item.Id,
        Name = item.Name,
        Description = item.Description,
        Price = item.Price,
        Category = item.Category,
        Status = item.Status,
        Sku = item.Sku,
        Tags = { item.Tags },
        UpdatedBy = item.UpdatedBy,
    };

    /// <summary>An id in the right format that no item has.</summary>
    public static string UnknownId() => Guid.CreateVersion7().ToString();
}
