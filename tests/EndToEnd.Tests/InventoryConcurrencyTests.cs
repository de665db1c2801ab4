using System.Net;
using CanaryDemo.EndToEnd.Tests.Infrastructure;

namespace CanaryDemo.EndToEnd.Tests;

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

            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict, "insufficient-inventory");
            return (response.StatusCode, null);
        }

        var sales = Enumerable.Range(0, 200).Select(_ => SellOneAsync()).ToArray();
        go.SetResult();
        var results = await Task.WhenAll(sales);

        Assert.Equal(100, results.Count(result => result.Status == HttpStatusCode.OK));
        Assert.Equal(100, results.Count(result => result.Status == HttpStatusCode.Conflict));
        // Each sale saw a different count: none was lost or applied twice.
        Assert.Equal(Enumerable.Range(1, 100).Select(count => (long?)count), results.Select(result => result.PreviousCount).OfType<long>().Order().Select(count => (long?)count));
        var item = await stack.Client.GetJsonAsync($"/api/v1/items/{id}", tenant);
        Assert.Equal(0, item.GetProperty("inventory_count").GetInt64());
        Assert.Equal(101, item.GetProperty("version").GetInt64());
    }
}
