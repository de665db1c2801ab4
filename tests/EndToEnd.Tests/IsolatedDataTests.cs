using System.Net;
using CanaryDemo.EndToEnd.Tests.Infrastructure;
using CanaryDemo.Store.V1;
using StoreClient = CanaryDemo.Store.V1.StoreService.StoreServiceClient;

namespace CanaryDemo.EndToEnd.Tests;

/// <summary>
/// Isolated per-PR data on one local DynamoDB: a stable stack on the shared table and PR 42's
/// store on its own table (both names from the launch description, <c>store-service:tables</c>),
/// each behind its own api. What one writes, the other never sees; a store on the shared table
/// sees the stable data, so the separation comes from the table, not from the processes.
/// </summary>
public sealed class IsolatedDataTests : IAsyncLifetime
{
    private const int Pr = 42;
    private readonly ProcessGroup _processes = new();
    private LocalDynamoDb? _dynamo;
    private StoreServiceProcess? _stableStore;
    private StoreServiceProcess? _prStore;
    private ApiServiceProcess? _stableApi;
    private ApiServiceProcess? _prApi;

    public Task InitializeAsync() => _processes.StartAsync(async () =>
    {
        _dynamo = await _processes.AddAsync(LocalDynamoDb.StartAsync());
        _stableStore = await _processes.AddAsync(StoreServiceProcess.StartServingAsync(StoreServiceProcess.BaseEnvironment(_dynamo.Url, LaunchDescription.StoreTable())));
        _prStore = await _processes.AddAsync(StoreServiceProcess.StartServingAsync(StoreServiceProcess.BaseEnvironment(_dynamo.Url, LaunchDescription.StoreTable(Pr))));
        _stableApi = await _processes.AddAsync(ApiServiceProcess.StartReadyAsync(ApiServiceProcess.BaseEnvironment(_stableStore.Address)));
        _prApi = await _processes.AddAsync(ApiServiceProcess.StartReadyAsync(ApiServiceProcess.BaseEnvironment(_prStore.Address)));
    });

    public async Task DisposeAsync() => await _processes.DisposeAsync();

    [Fact]
    public async Task An_item_written_on_the_pr_track_is_invisible_to_stable_and_the_reverse()
    {
        const long tenant = 4242;
        Assert.Equal("canarydemo-items-pr-42", LaunchDescription.StoreTable(Pr));
        await _prStore!.WaitForLogsAsync(log => TableOf(log) == LaunchDescription.StoreTable(Pr));
        await _stableStore!.WaitForLogsAsync(log => TableOf(log) == LaunchDescription.StoreTable());
        using var stable = _stableApi!.CreateClient();
        using var pr = _prApi!.CreateClient();

        var prItem = (await pr.CreateItemAsync(tenant)).GetProperty("id").GetString()!;
        var stableItem = (await stable.CreateItemAsync(tenant, """{"name":"Stable","price":1,"category":"books"}""")).GetProperty("id").GetString()!;

        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(stable, $"/api/v1/items/{prItem}", tenant));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(pr, $"/api/v1/items/{stableItem}", tenant));
        Assert.Equal([stableItem], await IdsAsync(stable, tenant));
        Assert.Equal([prItem], await IdsAsync(pr, tenant));

        // Another store on the shared table sees the stable item: the table is what separates them.
        await using var sharedStore = await StoreServiceProcess.StartServingAsync(
            StoreServiceProcess.BaseEnvironment(_dynamo!.Url, LaunchDescription.StoreTable()));
        var listed = await new StoreClient(sharedStore.Channel)
            .ListItemsAsync(new ListItemsRequest { TenantId = tenant }, deadline: DateTime.UtcNow.AddSeconds(10));
        Assert.Equal([stableItem], listed.Items.Select(item => item.Id));
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path, long tenant)
    {
        using var response = await client.SendAsync(RawRequests.Create(HttpMethod.Get, path, tenant));
        return response.StatusCode;
    }

    private static async Task<string[]> IdsAsync(HttpClient client, long tenant) =>
        [.. (await client.GetJsonAsync("/api/v1/items", tenant)).GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetString()!)];

    private static string? TableOf(System.Text.Json.JsonElement log) =>
        log.TryGetProperty("table_name", out var table) ? table.GetString() : null;
}
