using System.Text.Json;
using CanaryDemo.Store.V1;
using CanaryDemo.StoreService.Tests.Infrastructure;
using Xunit.Abstractions;

namespace CanaryDemo.StoreService.Tests;

/// <summary>
/// What a list costs, measured by DynamoDB itself: the service logs the ScannedCount and
/// consumed capacity of each ListItems call, and these tests read that production log line.
/// </summary>
[Collection(StoreCollection.Name)]
public sealed class IndexEfficiencyTests(StoreFixture store, ITestOutputHelper output)
{
    private static readonly ItemCategory[] OtherCategories =
        [ItemCategory.Electronics, ItemCategory.Clothing, ItemCategory.Home, ItemCategory.Sports];

    [Fact]
    public async Task A_category_page_reads_at_most_one_and_a_half_items_per_item_returned()
    {
        var tenant = store.NewTenant();
        // 2,000 items, 5% (100) of them books; the last one created is the only "needle".
        var items = await Seeding.CreateAsync(store.Client, 1999, i => new CreateItemRequest
        {
            TenantId = tenant,
            Name = $"Item {i:0000}",
            Description = "Catalog filler",
            Price = ItemRequests.Price(10, 0),
            Category = i % 20 == 0 ? ItemCategory.Books : OtherCategories[i % OtherCategories.Length],
        });
        var needle = ItemRequests.NewItem(tenant, "Golden needle");
        needle.Category = ItemCategory.Home;
        items.Add((await store.Client.CreateItemAsync(needle)).Item);
        Assert.Equal(100, items.Count(item => item.Category == ItemCategory.Books));

        var token = "";
        var pages = 0;
        var returned = 0;
        do
        {
            var page = await store.Client.ListItemsAsync(new ListItemsRequest
            {
                TenantId = tenant,
                Category = ItemCategory.Books,
                PageSize = 20,
                PageToken = token,
            });
            pages++;
            var cost = (await store.Service.WaitForRpcLogsAsync("ListItems", tenant, pages))[pages - 1];
            var itemsRead = cost.GetProperty("items_read").GetInt32();
            var capacity = cost.GetProperty("read_capacity_units").GetDouble();
            output.WriteLine(
                $"category page {pages}: {page.Items.Count} items returned, DynamoDB ScannedCount {itemsRead} " +
                $"({(double)itemsRead / page.Items.Count:0.00} per item returned), {capacity} RCU");

            Assert.Equal(20, page.Items.Count);
            Assert.All(page.Items, item => Assert.Equal(ItemCategory.Books, item.Category));
            Assert.True(itemsRead <= 1.5 * page.Items.Count, $"page {pages} read {itemsRead} items for {page.Items.Count}");
            returned += page.Items.Count;
            token = page.NextPageToken;
        }
        while (token.Length > 0);

        Assert.Equal(100, returned);
        Assert.Equal(5, pages);
    }

    [Fact]
    public async Task A_search_reads_a_bounded_number_of_items_per_call_and_continues_with_a_token()
    {
        var tenant = store.NewTenant();
        await Seeding.CreateAsync(store.Client, 1100, i => ItemRequests.NewItem(tenant, $"Plain item {i:0000}"));
        // Created last, so it is last in id order: the search has to get through everything else first.
        var needle = (await store.Client.CreateItemAsync(ItemRequests.NewItem(tenant, "Golden needle"))).Item;

        var found = new List<Item>();
        var calls = new List<(int Read, double Milliseconds)>();
        var token = "";
        do
        {
            var page = await store.Client.ListItemsAsync(
                new ListItemsRequest { TenantId = tenant, Search = "NEEDLE", PageToken = token });
            var line = (await store.Service.WaitForRpcLogsAsync("ListItems", tenant, calls.Count + 1))[calls.Count];
            calls.Add((line.GetProperty("items_read").GetInt32(), line.GetProperty("elapsed_ms").GetDouble()));
            found.AddRange(page.Items);
            token = page.NextPageToken;
        }
        while (token.Length > 0);

        output.WriteLine($"search over 1,101 items: calls read {string.Join(", ", calls.Select(call => $"{call.Read} in {call.Milliseconds} ms"))}");
        Assert.Equal([needle.Id], found.Select(item => item.Id));
        // A call evaluates at most its budget of 1,000 items (plus one read proving there is more)
        // and returns a token to continue; it stops sooner only when the next query would not fit
        // in its time budget (Store:OperationTimeoutMilliseconds), on a slow local engine.
        Assert.All(calls, call => Assert.InRange(call.Read, 1, 1001));
        Assert.All(calls.SkipLast(1), call => Assert.True(call.Read == 1001 || call.Milliseconds >= 500, $"{call.Read} items in {call.Milliseconds} ms"));
        Assert.InRange(calls.Sum(call => call.Read), 1101, 1101 + calls.Count);
    }
}
