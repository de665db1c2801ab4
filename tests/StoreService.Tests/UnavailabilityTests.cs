using System.Diagnostics;
using CanaryDemo.Store.V1;
using CanaryDemo.StoreService.Tests.Infrastructure;
using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;
using StoreClient = CanaryDemo.Store.V1.StoreService.StoreServiceClient;

namespace CanaryDemo.StoreService.Tests;

/// <summary>
/// Its own stack from the AppHost, without the api: a local DynamoDB (on a data folder, so it can be
/// restarted with its data) and a store on its shipped time budgets, so stopping DynamoDB does not
/// disturb the other tests.
/// </summary>
public sealed class UnavailabilityTests : IAsyncLifetime
{
    private readonly string _state = Directory.CreateTempSubdirectory("store-stack-").FullName;
    private LocalStackApp? _stack;
    private StackService _dynamo = null!;
    private StackService _service = null!;

    public async Task InitializeAsync()
    {
        _stack = await LocalStackApp.StartAsync(new StackSettings { State = _state, ShippedBudgets = true, Api = false });
        _dynamo = _stack.Engine;
        _service = _stack.Store;
    }

    [Fact]
    public async Task DynamoDB_stopped_is_unavailable_within_the_deadline_and_not_serving_until_it_is_back()
    {
        var client = new StoreClient(_service.Channel);
        Assert.Equal(ServingStatus.Serving, await _service.HealthAsync("liveness"));
        var item = (await client.CreateItemAsync(ItemRequests.NewItem(tenantId: 1))).Item;
        var processId = _service.ProcessId;

        await _dynamo.StopAsync();

        var calls = new Func<DateTime, Task>[]
        {
            async deadline => await client.GetItemAsync(new GetItemRequest { TenantId = 1, Id = item.Id }, deadline: deadline),
            async deadline => await client.ListItemsAsync(new ListItemsRequest { TenantId = 1 }, deadline: deadline),
            async deadline => await client.CreateItemAsync(ItemRequests.NewItem(tenantId: 1), deadline: deadline),
            async deadline => await client.UpdateInventoryAsync(
                new UpdateInventoryRequest { TenantId = 1, Id = item.Id, QuantityChange = 1 }, deadline: deadline),
        };
        foreach (var call in calls)
        {
            var elapsed = Stopwatch.StartNew();
            var error = await Assert.ThrowsAsync<RpcException>(() => call(DateTime.UtcNow.AddSeconds(5)));
            Assert.Equal(StatusCode.Unavailable, error.StatusCode);
            // Refused connections: nothing was sent, so even the writes are known not applied.
            Assert.Equal(StoreFailureReasons.StoreUnavailable, error.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason);
            Assert.Equal("the item store is unavailable; nothing was changed; retry later", error.Status.Detail);
            Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(4), $"took {elapsed.Elapsed}");
        }

        // Expected during an outage and hit by every call: one warning stands for them all.
        Assert.Single(await _service.WaitForLogsAsync(log => log.GetProperty("@m").GetString()!.StartsWith("StoreUnavailable:", StringComparison.Ordinal)));

        await _service.WaitForHealthAsync(ServingStatus.NotServing, TimeSpan.FromSeconds(15));
        Assert.Equal(ServingStatus.NotServing, await _service.HealthAsync("store.v1.StoreService"));
        // Liveness checks no dependency: the kubelet takes the pod out of rotation, it does not restart it.
        Assert.Equal(ServingStatus.Serving, await _service.HealthAsync("liveness"));
        await _service.WaitForLogsAsync(
            log => log.TryGetProperty("health_status", out var status) && status.GetString() == "Unhealthy");

        await _dynamo.StartAgainAsync();

        await _service.WaitForHealthAsync(ServingStatus.Serving, TimeSpan.FromSeconds(15));
        Assert.Equal(ServingStatus.Serving, await _service.HealthAsync("store.v1.StoreService"));
        Assert.Equal(item, (await client.GetItemAsync(new GetItemRequest { TenantId = 1, Id = item.Id })).Item);
        Assert.False(_service.HasExited);
        Assert.Equal(processId, _service.ProcessId);
    }

    public async Task DisposeAsync()
    {
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }

        Directory.Delete(_state, recursive: true);
    }
}
