using CanaryDemo.Store.V1;
using CanaryDemo.StoreService.Tests.Infrastructure;
using CanaryDemo.Testing.Http;
using Grpc.Core;

namespace CanaryDemo.StoreService.Tests;

/// <summary>
/// Concurrent writes on one item. A local DynamoDB on a busy machine may take longer than the
/// store's one-second attempt for some of them; those are answered DEADLINE_EXCEEDED ("may have
/// been applied"), honestly, and the engine applies them later. So the tests count what was
/// applied from the item itself (its version) and check every answer against it.
/// </summary>
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

        var succeeded = results.Where(result => result.Status == StatusCode.OK).ToList();
        var unknown = results.Count(result => result.Status == StatusCode.DeadlineExceeded);
        var refused = results.Count(result => result.Status == StatusCode.FailedPrecondition);
        Assert.Equal(100, succeeded.Count + unknown + refused);
        Assert.NotEmpty(succeeded);
        // Each successful decrement saw a different count: none was lost or applied twice.
        Assert.Equal(succeeded.Count, succeeded.Select(result => result.Previous).Distinct().Count());
        Assert.All(succeeded, result => Assert.InRange(result.Previous, 1, 50));
        var final = await Poll.UntilSettledAsync(() => store.GetItemAsync(tenant, item.Id), current => current.Version);
        var applied = 50 - final.InventoryCount;
        // Every applied decrement is one version; none beyond the stock (it never went below
        // zero); every OK is among them, and only "may have been applied" answers account for the rest.
        Assert.Equal(1 + applied, final.Version);
        Assert.InRange(applied, succeeded.Count, Math.Min(50, succeeded.Count + unknown));
        Assert.True(refused == 0 || applied == 50, $"{refused} refused with {50 - applied} in stock");
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

        // At most one answer says it won, and nobody else could have: the rest lost the race or
        // were not answered in time.
        var winners = results.Where(result => result.Status == StatusCode.OK).ToList();
        Assert.True(winners.Count <= 1, $"{winners.Count} winners");
        Assert.All(results.Except(winners), result => Assert.Contains(result.Status, new[] { StatusCode.Aborted, StatusCode.DeadlineExceeded }));
        var final = await Poll.UntilSettledAsync(() => store.GetItemAsync(tenant, item.Id), current => current.Version);
        if (winners is [var winner])
        {
            Assert.Equal(2, final.Version);
            Assert.Equal($"Writer {winner.Writer}", final.Name);
        }
        else if (final.Version == 2)
        {
            Assert.Contains(results, result => result.Status == StatusCode.DeadlineExceeded && final.Name == $"Writer {result.Writer}");
        }
        else
        {
            // Nobody won: every writer was answered "may have been applied", and none was.
            Assert.Equal(1, final.Version);
            Assert.All(results, result => Assert.Equal(StatusCode.DeadlineExceeded, result.Status));
        }
    }
}
