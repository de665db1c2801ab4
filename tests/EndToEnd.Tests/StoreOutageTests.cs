using System.Diagnostics;
using System.Net;
using CanaryDemo.EndToEnd.Tests.Infrastructure;

namespace CanaryDemo.EndToEnd.Tests;

/// <summary>The real store-service stopped and started again under a running api-service.</summary>
[Collection(StackCollection.Name)]
public sealed class StoreOutageTests(StackFixture stack)
{
    /// <summary>The api-service's shipped per-call deadline (StoreService:TimeoutSeconds): a stopped store is answered well before it.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_stopped_store_is_503_and_not_ready_and_once_restarted_is_used_again_without_restarting_the_api()
    {
        var tenant = stack.NewTenant();
        var item = await stack.Client.CreateItemAsync(tenant);
        var path = $"/api/v1/items/{item.GetProperty("id").GetString()}";
        var apiProcess = stack.Api.ProcessId;

        Assert.Equal(0, await stack.StopStoreAsync());
        try
        {
            var clock = Stopwatch.StartNew();
            using (var read = await stack.Client.SendAsync(RawRequests.Create(HttpMethod.Get, path, tenant)))
            {
                await ProblemAssert.IsProblemAsync(read, HttpStatusCode.ServiceUnavailable, "store-unavailable");
            }

            Assert.InRange(clock.Elapsed, TimeSpan.Zero, Deadline);
            clock.Restart();
            using (var write = await stack.Client.SendAsync(RawRequests.Create(HttpMethod.Post, "/api/v1/items", tenant, RawRequests.ValidCreateBody)))
            {
                await ProblemAssert.IsProblemAsync(write, HttpStatusCode.ServiceUnavailable, "store-unavailable");
            }

            Assert.InRange(clock.Elapsed, TimeSpan.Zero, Deadline);
            using var ready = await stack.Client.GetAsync("/healthz/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            using var live = await stack.Client.GetAsync("/healthz/live");
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }
        finally
        {
            await stack.RestartStoreAsync();
        }

        // The api's channel reconnects with a backoff capped at 5 s.
        Assert.Equal(HttpStatusCode.OK, await Poll.UntilSuccessAsync(() => stack.Client.SendAsync(RawRequests.Create(HttpMethod.Get, path, tenant))));
        Assert.Equal(HttpStatusCode.Created, await Poll.UntilSuccessAsync(() => stack.Client.SendAsync(RawRequests.Create(HttpMethod.Post, "/api/v1/items", tenant, RawRequests.ValidCreateBody))));
        Assert.Equal(HttpStatusCode.OK, await Poll.UntilSuccessAsync(() => stack.Client.GetAsync("/healthz/ready")));
        Assert.Equal(item.GetProperty("name").GetString(), (await stack.Client.GetJsonAsync(path, tenant)).GetProperty("name").GetString());
        Assert.False(stack.Api.HasExited);
        Assert.Equal(apiProcess, stack.Api.ProcessId);
    }
}
