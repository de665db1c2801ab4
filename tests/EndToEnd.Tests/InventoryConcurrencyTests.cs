using System.Net;
using CanaryDemo.EndToEnd.Tests.Infrastructure;

namespace CanaryDemo.EndToEnd.Tests;

/// <summary>
/// Concurrent sales through the whole stack. A local DynamoDB on a busy machine may not answer
/// some of them within the store's attempt; those are honestly 504 write-outcome-unknown (the
/// engine may still apply them), or 503 when the store could not even connect. So what was sold
/// is read from the item, and every answer is checked against it.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class InventoryConcurrencyTests(StackFixture stack)
{
    [Fact]
    public async Task Two_hundred_concurrent_sales_of_one_on_a_stock_of_100_sell_exactly_100()
    {
        var tenant = stack.NewTenant();
        var id = (await stack.Client.CreateItemAsync(tenant, """{"name":"Limited","price":10,"category":"home","inventory_count":100}"""))
            .GetProperty("id").GetString();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task<(HttpStatusCode Status, long? PreviousCount)> SellOneAsync()
        {
            await go.Task;
            using var response = await stack.Client.SendAsync(
                RawRequests.Create(HttpMethod.Patch, $"/api/v1/items/{id}/inventory", tenant, """{"quantity_change":-1,"reason":"sale"}"""));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return (response.StatusCode, (await ApiCalls.ReadJsonAsync(response, HttpStatusCode.OK)).GetProperty("previous_count").GetInt64());
            }

            await ProblemAssert.IsProblemAsync(response, response.StatusCode, response.StatusCode switch
            {
                HttpStatusCode.Conflict => "insufficient-inventory",
                // Not applied: the store could not even connect to a local DynamoDB swamped by 200 connections.
                HttpStatusCode.ServiceUnavailable => "store-unavailable",
                _ => "write-outcome-unknown",
            });
            return (response.StatusCode, null);
        }

        var sales = Enumerable.Range(0, 200).Select(_ => SellOneAsync()).ToArray();
        go.SetResult();
        var results = await Task.WhenAll(sales);

        var sold = results.Where(result => result.Status == HttpStatusCode.OK).Select(result => result.PreviousCount!.Value).ToList();
        var unknown = results.Count(result => result.Status == HttpStatusCode.GatewayTimeout);
        var refused = results.Count(result => result.Status == HttpStatusCode.Conflict);
        Assert.NotEmpty(sold);
        // Each sale saw a different count: none was lost or applied twice.
        Assert.Equal(sold.Count, sold.Distinct().Count());
        Assert.All(sold, previous => Assert.InRange(previous, 1, 100));
        var item = await Poll.UntilSettledAsync(
            () => stack.Client.GetJsonAsync($"/api/v1/items/{id}", tenant), current => current.GetProperty("version").GetInt64());
        var applied = 100 - item.GetProperty("inventory_count").GetInt64();
        // Every applied sale is one version; none beyond the stock; every 200 is among them, and
        // only answers that said "may have been applied" can account for the rest: no 503 was applied.
        Assert.Equal(1 + applied, item.GetProperty("version").GetInt64());
        Assert.InRange(applied, sold.Count, Math.Min(100, sold.Count + unknown));
        // A sale is refused only once the stock is gone, and then it stays gone.
        Assert.True(refused == 0 || applied == 100, $"{refused} refused with {100 - applied} in stock");
    }
}
