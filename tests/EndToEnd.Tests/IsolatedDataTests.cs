using System.Net;
using CanaryDemo.AppHost;
using CanaryDemo.EndToEnd.Tests.Infrastructure;
using CanaryDemo.Store.V1;
using StoreClient = CanaryDemo.Store.V1.StoreService.StoreServiceClient;

namespace CanaryDemo.EndToEnd.Tests;

/// <summary>
/// Isolated per-PR data on one local DynamoDB (the AppHost with <c>--pr 42 --pr-data isolated</c>):
/// the stable store on the shared table and PR 42's store on its own, both reached through the
/// local edge and east-west proxy. What one writes, the other never sees; a store on the shared
/// table sees the stable data, so the separation comes from the table, not from the processes.
/// </summary>
public sealed class IsolatedDataTests : IAsyncLifetime
{
    private const int Pr = 42;
    private LocalStackApp? _stack;
    private HttpClient? _edge;

    public async Task InitializeAsync()
    {
        _stack = await LocalStackApp.StartAsync(new StackSettings { Prs = [$"{Pr}"], PrData = "isolated" });
        _edge = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_stack.Layout.ApiPort}") };
    }

    public async Task DisposeAsync()
    {
        _edge?.Dispose();
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_item_written_on_the_pr_track_is_invisible_to_stable_and_the_reverse()
    {
        const long tenant = 4242;
        Assert.Equal("canarydemo-items-pr-42", LocalServices.StoreTable(Pr));
        await _stack!["store-service-pr-42"].WaitForLogsAsync(log => TableOf(log) == LocalServices.StoreTable(Pr));
        await _stack.Store.WaitForLogsAsync(log => TableOf(log) == LocalServices.StoreTable());

        var prItem = await CreateAsync(tenant, "42", RawRequests.ValidCreateBody);
        var stableItem = await CreateAsync(tenant, null, """{"name":"Stable","price":1,"category":"books"}""");

        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync($"/api/v1/items/{prItem}", tenant, null));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync($"/api/v1/items/{stableItem}", tenant, "42"));
        Assert.Equal([stableItem], await IdsAsync(tenant, null));
        Assert.Equal([prItem], await IdsAsync(tenant, "42"));

        // Another store on the shared table sees the stable item: the table is what separates them.
        await using var sharedStore = await StoreServiceProcess.StartServingAsync(
            StoreServiceProcess.BaseEnvironment(_stack.Engine.Address, LocalServices.StoreTable()));
        var listed = await new StoreClient(sharedStore.Channel)
            .ListItemsAsync(new ListItemsRequest { TenantId = tenant }, deadline: DateTime.UtcNow.AddSeconds(10));
        Assert.Equal([stableItem], listed.Items.Select(item => item.Id));
    }

    private HttpRequestMessage Request(HttpMethod method, string path, long tenant, string? canary, string? body = null)
    {
        var request = RawRequests.Create(method, path, tenant, body);
        return canary is null ? request : request.WithHeader("X-Canary", canary);
    }

    private async Task<string> CreateAsync(long tenant, string? canary, string body)
    {
        using var response = await _edge!.SendAsync(Request(HttpMethod.Post, "/api/v1/items", tenant, canary, body));
        var item = await ApiCalls.ReadJsonAsync(response, HttpStatusCode.Created);
        Assert.Equal(canary is null ? "api-service=stable, store-service=stable" : "api-service=pr-42, store-service=pr-42",
            Assert.Single(response.Headers.GetValues("X-Canary-Route")));
        return item.GetProperty("id").GetString()!;
    }

    private async Task<HttpStatusCode> StatusAsync(string path, long tenant, string? canary)
    {
        using var response = await _edge!.SendAsync(Request(HttpMethod.Get, path, tenant, canary));
        return response.StatusCode;
    }

    private async Task<string[]> IdsAsync(long tenant, string? canary)
    {
        using var response = await _edge!.SendAsync(Request(HttpMethod.Get, "/api/v1/items", tenant, canary));
        return [.. (await ApiCalls.ReadJsonAsync(response, HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetString()!)];
    }

    private static string? TableOf(System.Text.Json.JsonElement log) =>
        log.TryGetProperty("table_name", out var table) ? table.GetString() : null;
}
