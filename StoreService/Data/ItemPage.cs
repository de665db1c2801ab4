using CanaryDemo.Store.V1;
using CanaryDemo.StoreService.Paging;

namespace CanaryDemo.StoreService.Data;

/// <summary>One page of a list, where the next page starts, and what reading it cost.</summary>
internal sealed record ItemPage(IReadOnlyList<Item> Items, ListPosition? Next, int ItemsRead, double CapacityUnits);
