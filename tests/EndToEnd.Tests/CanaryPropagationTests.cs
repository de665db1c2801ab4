using System.Net;
using CanaryDemo.EndToEnd.Tests.Infrastructure;

namespace CanaryDemo.EndToEnd.Tests;

/// <summary>
/// <c>X-Canary</c> through the real stack: echoed by the api-service, and received by the
/// store-service as <c>x-canary</c>, shown by the store's own RPC log line for that very request
/// (found by the trace id the test started), which carries <c>canary</c> only then.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class CanaryPropagationTests(StackFixture stack)
{
    [Fact]
    [Trait("Category", "Smoke")]
    public async Task A_valid_canary_is_echoed_and_reaches_the_store()
    {
        var tenant = stack.NewTenant();
        var id = (await stack.Client.CreateItemAsync(tenant)).GetProperty("id").GetString();
        var trace = new TestTrace();

        using var request = trace.Start(RawRequests.Create(HttpMethod.Get, $"/api/v1/items/{id}", tenant).WithHeader("X-Canary", "42"));
        using var response = await stack.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["42"], response.Headers.GetValues("X-Canary-Echo"));
        // PR 42 has no tracks in this stack: both hops say stable served it.
        Assert.Equal(["api-service=stable, store-service=stable"], response.Headers.GetValues("X-Canary-Route"));
        var apiLine = await trace.ApiRequestLineAsync(stack.Api);
        Assert.Equal("42", apiLine.GetProperty("canary").GetString());
        var storeLines = await trace.StoreRpcLinesAsync(stack.Store, "GetItem");
        Assert.All(storeLines, line =>
        {
            Assert.Equal("42", line.GetProperty("canary").GetString());
            Assert.Equal(tenant, line.GetProperty("tenant").GetInt64());
            Assert.Equal("OK", line.GetProperty("grpc_status").GetString());
        });
    }

    [Theory]
    [InlineData(null)]
    [InlineData("042")]
    [InlineData("abc")]
    [InlineData("1 2")]
    [InlineData("1234567890")]
    [InlineData("")]
    public async Task Without_a_valid_canary_nothing_is_echoed_or_forwarded(string? canary)
    {
        var tenant = stack.NewTenant();
        var id = (await stack.Client.CreateItemAsync(tenant)).GetProperty("id").GetString();
        var trace = new TestTrace();
        using var request = trace.Start(RawRequests.Create(HttpMethod.Get, $"/api/v1/items/{id}", tenant));
        if (canary is not null)
        {
            request.WithHeader("X-Canary", canary);
        }

        using var response = await stack.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Canary-Echo"));
        Assert.False((await trace.ApiRequestLineAsync(stack.Api)).TryGetProperty("canary", out _));
        var storeLines = await trace.StoreRpcLinesAsync(stack.Store, "GetItem");
        Assert.All(storeLines, line =>
        {
            Assert.False(line.TryGetProperty("canary", out _), $"the store received a canary: {line}");
            Assert.Equal(tenant, line.GetProperty("tenant").GetInt64());
        });
    }

    [Fact]
    public async Task A_canary_write_carries_the_canary_to_the_store_too()
    {
        var tenant = stack.NewTenant();
        var trace = new TestTrace();

        using var request = trace.Start(RawRequests.Create(HttpMethod.Post, "/api/v1/items", tenant, RawRequests.ValidCreateBody).WithHeader("X-Canary", "7"));
        using var response = await stack.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(["7"], response.Headers.GetValues("X-Canary-Echo"));
        var storeLine = Assert.Single(await trace.StoreRpcLinesAsync(stack.Store, "CreateItem"));
        Assert.Equal("7", storeLine.GetProperty("canary").GetString());
    }
}
