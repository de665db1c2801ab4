using CanaryDemo.Store.V1;
using CanaryDemo.StoreService.Tests.Infrastructure;
using Grpc.Core;

namespace CanaryDemo.StoreService.Tests;

[Collection(StoreCollection.Name)]
public sealed class ConcurrencyTests(StoreFixture store)
{
    [Fact]
    public async Task Hundred_concurrent_decrements_of_a_stock_of_fifty_sell_exactly_fifty()
    {
        var tenant = store.NewTenant();
        var request = ItemRequests.NewItem(tenant);
        request.InventoryCount = 50;
        var item = (await store.Client.CreateItemAsync(request)).Item;

        using var start = new SemaphoreSlim(0);
        var calls = Enumerable.Range(0, 100).Select(async _ =>
        {
            await start.WaitAsync();
            try
            {
                var response = await store.Client.UpdateInventoryAsync(
                    new UpdateInventoryRequest { TenantId = tenant, Id = item.Id, QuantityChange = -1 });
                return (Status: StatusCode.OK, Previous: response.PreviousCount);
            }
            catch (RpcException error)
            {
                return (Status: error.StatusCode, Previous: -1L);
            }
        }).ToList();
        start.Release(100);
        var results = await Task.WhenAll(calls);

        Assert.Equal(50, results.Count(result => result.Status == StatusCode.OK));
        Assert.Equal(50, results.Count(result => result.Status == StatusCode.FailedPrecondition));
        // Each successful decrement saw a different count: none was lost or applied twice.
        Assert.Equal(Enumerable.Range(1, 50).Select(count => (long)count),
            results.Where(result => result.Status == StatusCode.OK).Select(result => result.Previous).Order());
        var final = (await store.GetItemAsync(tenant, item.Id));
        Assert.Equal(0, final.InventoryCount);
        Assert.Equal(51, final.Version);
    }

    [Fact]
    public async Task Concurrent_updates_with_the_same_expected_version_let_exactly_one_win()
    {
        var tenant = store.NewTenant();
        var item = (await store.Client.CreateItemAsync(ItemRequests.NewItem(tenant))).Item;

        using var start = new SemaphoreSlim(0);
        var calls = Enumerable.Range(0, 20).Select(async writer =>
        {
            var replacement = ItemRequests.Replacement(item);
            replacement.Name = $"Writer {writer}";
            replacement.ExpectedVersion = item.Version;
            await start.WaitAsync();
            try
            {
                await store.Client.UpdateItemAsync(replacement);
                return (Writer: writer, Status: StatusCode.OK);
            }
            catch (RpcException error)
            {
                return (Writer: writer, Status: error.StatusCode);
            }
        }).ToList();
        start.Release(20);
        var results = await Task.WhenAll(calls);

        var winner = Assert.Single(results, result => result.Status == StatusCode.OK);
        Assert.All(results.Where(result => result.Writer != winner.Writer),
            result => Assert.Equal(StatusCode.Aborted, result.Status));
        var final = (await store.GetItemAsync(tenant, item.Id));
        Assert.Equal($"Writer {winner.Writer}", final.Name);
        Assert.Equal(2, final.Version);
    }
}
