using System.Diagnostics;
using System.Net;
using CanaryDemo.ApiService.Tests.Infrastructure;
using Grpc.Health.V1;

namespace CanaryDemo.ApiService.Tests;

/// <summary>What the api does when the store is slow, down or not serving.</summary>
public sealed class StoreOutageTests
{
    [Fact]
    public async Task A_store_that_does_not_answer_in_time_is_504_within_the_configured_deadline()
    {
        await using var store = await StoreDoubleHost.StartAsync();
        await using var api = await ApiHost.StartAsync(store.Address, "--StoreService:TimeoutSeconds=1");
        var tenant = ApiStack.NewTenant();
        store.Store.Script(tenant, new StoreScript(StallUntilDeadline: true));
        // Open the HTTP/2 connection first, so the 1 s budget is not spent on connecting and JIT.
        Assert.Equal(HttpStatusCode.OK, await Poll.UntilSuccessAsync(() => api.Client.SendAsync(RawRequests.Create(HttpMethod.Get, "/api/v1/items", ApiStack.NewTenant()))));

        var clock = Stopwatch.StartNew();
        using var response = await api.Client.SendAsync(RawRequests.Create(HttpMethod.Get, $"/api/v1/items/{RawRequests.ItemId}", tenant));
        clock.Stop();

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.GatewayTimeout, "store-timeout");
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(4));
        var call = Assert.Single(store.Store.CallsFor(tenant));
        Assert.InRange(call.DeadlineBudget!.Value, TimeSpan.FromSeconds(0.1), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_stopped_store_is_503_and_not_ready_and_the_api_recovers_when_it_is_back()
    {
        await using var store = await StoreDoubleHost.StartAsync();
        var port = new Uri(store.Address).Port;
        await store.DisposeAsync();
        await using var api = await ApiHost.StartAsync(store.Address);
        var tenant = ApiStack.NewTenant();

        using (var down = await api.Client.SendAsync(RawRequests.Create(HttpMethod.Get, $"/api/v1/items/{RawRequests.ItemId}", tenant)))
        using (var ready = await api.Client.GetAsync("/healthz/ready"))
        using (var live = await api.Client.GetAsync("/healthz/live"))
        {
            await ProblemAssert.IsProblemAsync(down, HttpStatusCode.ServiceUnavailable, "store-unavailable");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        await using var restarted = await StoreDoubleHost.StartAsync(port);
        var clock = Stopwatch.StartNew();
        var itemStatus = await Poll.UntilSuccessAsync(() => api.Client.SendAsync(RawRequests.Create(HttpMethod.Get, $"/api/v1/items/{RawRequests.ItemId}", tenant)));
        var readyStatus = await Poll.UntilSuccessAsync(() => api.Client.GetAsync("/healthz/ready"));

        Assert.Equal(HttpStatusCode.OK, itemStatus);
        Assert.Equal(HttpStatusCode.OK, readyStatus);
        // The channel's reconnect backoff is capped at 5 s, not gRPC's default 120 s.
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(8));
    }

    [Fact]
    public async Task Readiness_follows_the_store_grpc_health_status()
    {
        await using var store = await StoreDoubleHost.StartAsync();
        await using var api = await ApiHost.StartAsync(store.Address);

        using (var serving = await api.Client.GetAsync("/healthz/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, serving.StatusCode);
        }

        store.Health.SetStatus(StoreDoubleHost.StoreServiceName, HealthCheckResponse.Types.ServingStatus.NotServing);
        using (var notServing = await api.Client.GetAsync("/healthz/ready"))
        using (var live = await api.Client.GetAsync("/healthz/live"))
        using (var health = await api.Client.GetAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notServing.StatusCode);
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        store.Health.SetStatus(StoreDoubleHost.StoreServiceName, HealthCheckResponse.Types.ServingStatus.Serving);
        using var servingAgain = await api.Client.GetAsync("/healthz/ready");
        Assert.Equal(HttpStatusCode.OK, servingAgain.StatusCode);
    }
}
