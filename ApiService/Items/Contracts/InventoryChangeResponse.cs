namespace CanaryDemo.ApiService.Items.Contracts;

public sealed record InventoryChangeResponse(ItemResponse Item, long PreviousCount);
