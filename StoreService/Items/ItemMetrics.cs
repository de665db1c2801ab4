using System.Diagnostics.Metrics;
using CanaryDemo.Shared.Canary;

namespace CanaryDemo.StoreService.Items;

/// <summary>
/// Domain counters of the store, each labelled <c>canary</c> (PR number or <c>stable</c>) so a
/// PR's behaviour can be compared with stable's. Recorded where the outcome is certain: after
/// DynamoDB accepted the write, or where the rejection is decided.
/// </summary>
internal sealed class ItemMetrics
{
    public const string MeterName = "CanaryDemo.StoreService";

    private readonly Counter<long> _itemsCreated;
    private readonly Counter<long> _inventoryChanges;
    private readonly Counter<long> _insufficientStock;

    public ItemMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _itemsCreated = meter.CreateCounter<long>(
            "store.items.created", "{item}", "Items created (a replayed idempotent create is not counted).");
        _inventoryChanges = meter.CreateCounter<long>(
            "store.inventory.changes", "{change}", "Inventory changes applied (a replayed change is not counted).");
        _insufficientStock = meter.CreateCounter<long>(
            "store.inventory.insufficient_stock", "{change}", "Inventory decreases rejected because the stock was too low.");
    }

    public void ItemCreated() => _itemsCreated.Add(1, CanaryMetrics.CurrentLabel);

    public void InventoryChanged() => _inventoryChanges.Add(1, CanaryMetrics.CurrentLabel);

    public void InsufficientStock() => _insufficientStock.Add(1, CanaryMetrics.CurrentLabel);
}
