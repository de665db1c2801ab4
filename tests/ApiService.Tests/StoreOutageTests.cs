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
        await using var api = await ApiHost.StartAsync(store.Address, "--StoreService:TimeoutSeconds=1", "--StoreService:AttemptTimeoutMilliseconds=1000");
        var tenant = await StalledTenantAsync(store, api);

        var clock = Stopwatch.StartNew();
        using var response = await api.Client.SendAsync(RawRequests.Create(HttpMethod.Get, $"/api/v1/items/{RawRequests.ItemId}", tenant));
        clock.Stop();

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.GatewayTimeout, "store-timeout");
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(4));
        var call = Assert.Single(store.Store.CallsFor(tenant));
        Assert.InRange(call.DeadlineBudget!.Value, TimeSpan.FromSeconds(0.1), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_read_attempt_that_runs_out_is_retried_only_while_the_deadline_holds_a_whole_attempt()
    {
        await using var store = await StoreDoubleHost.StartAsync();
        await using var api = await ApiHost.StartAsync(store.Address, "--StoreService:TimeoutSeconds=3", "--StoreService:AttemptTimeoutMilliseconds=1000");
        var tenant = await StalledTenantAsync(store, api);

        var clock = Stopwatch.StartNew();
        using var response = await api.Client.SendAsync(RawRequests.Create(HttpMethod.Get, $"/api/v1/items/{RawRequests.ItemId}", tenant));
        clock.Stop();

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.GatewayTimeout, "store-timeout");
        // 1 s, 100 ms backoff, 1 s; then less than an attempt is left of the 3 s, so no third one.
        var calls = store.Store.CallsFor(tenant);
        Assert.Equal(2, calls.Count);
        Assert.All(calls, call => Assert.InRange(call.DeadlineBudget!.Value, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1)));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3.5));
    }

    [Fact]
    public async Task A_write_to_a_store_that_does_not_answer_is_one_attempt_answered_write_outcome_unknown()
    {
        await using var store = await StoreDoubleHost.StartAsync();
        await using var api = await ApiHost.StartAsync(store.Address, "--StoreService:AttemptTimeoutMilliseconds=1000");
        var tenant = await StalledTenantAsync(store, api);

        var clock = Stopwatch.StartNew();
        using var response = await api.Client.SendAsync(RawRequests.Create(HttpMethod.Post, "/api/v1/items", tenant, RawRequests.ValidCreateBody));
        clock.Stop();

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.GatewayTimeout, "write-outcome-unknown");
        Assert.Single(store.Store.CallsFor(tenant));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task A_write_to_a_store_that_refuses_connections_was_never_sent_and_is_503()
    {
        await using var store = await StoreDoubleHost.StartAsync();
        await store.DisposeAsync();
        await using var api = await ApiHost.StartAsync(store.Address);
        var tenant = ApiStack.NewTenant();

        using var response = await api.Client.SendAsync(RawRequests.Create(
            HttpMethod.Patch, $"/api/v1/items/{RawRequests.ItemId}/inventory", tenant, """{"quantity_change":-1}"""));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable, "store-unavailable");
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
        // Calls connect on demand: no reconnect backoff to wait out.
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(3));
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

    /// <summary>
    /// A fresh tenant whose every call the store double holds until its deadline. The api's HTTP/2
    /// connection to the store is opened first, so a budget is not spent on connecting and JIT.
    /// </summary>
    private static async Task<long> StalledTenantAsync(StoreDoubleHost store, ApiHost api)
    {
        var tenant = ApiStack.NewTenant();
        store.Store.Script(tenant, new StoreScript(StallUntilDeadline: true));
        Assert.Equal(HttpStatusCode.OK, await Poll.UntilSuccessAsync(() => api.Client.SendAsync(RawRequests.Create(HttpMethod.Get, "/api/v1/items", ApiStack.NewTenant()))));
        return tenant;
    }
}
