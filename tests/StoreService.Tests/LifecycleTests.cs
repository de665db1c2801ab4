using System.Diagnostics;
using CanaryDemo.Store.V1;
using CanaryDemo.StoreService.Tests.Infrastructure;
using Grpc.Core;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;
using StoreClient = CanaryDemo.Store.V1.StoreService.StoreServiceClient;

namespace CanaryDemo.StoreService.Tests;

/// <summary>Start-up validation, a DynamoDB that hangs, and graceful shutdown, each on its own process.</summary>
public sealed class LifecycleTests
{
    [Fact]
    public async Task Bad_configuration_stops_start_up_with_a_clear_message_and_a_non_zero_exit_code()
    {
        var environment = StoreServiceProcess.BaseEnvironment("not a url", "x");
        environment.Remove("Store__Region");
        environment["Store__PageTokenSigningKey"] = Convert.ToBase64String(new byte[16]);
        await using var service = StoreServiceProcess.Start(environment);

        var exitCode = await service.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, exitCode);
        Assert.Contains("Invalid configuration", service.Output);
        Assert.Contains("Store:TableName must be 3 to 255", service.Output);
        Assert.Contains("Store:ServiceUrl must be an absolute http(s) URL", service.Output);
        Assert.Contains("Store:Region is required", service.Output);
        Assert.Contains("Store:PageTokenSigningKey must be base64 of at least 32 bytes", service.Output);
    }

    [Fact]
    public async Task A_hanging_DynamoDB_is_unavailable_within_the_timeout_and_shutdown_waits_for_calls_in_flight()
    {
        using var silent = new SilentEndpoint();
        var environment = StoreServiceProcess.BaseEnvironment(silent.Url, "hanging-items");
        environment["Store__CreateTableIfMissing"] = "false";
        // Longer than the defaults, so the call below is still waiting when SIGTERM arrives.
        environment["Store__AttemptTimeoutMilliseconds"] = "3000";
        environment["Store__OperationTimeoutMilliseconds"] = "3000";
        await using var service = StoreServiceProcess.Start(environment);
        await service.WaitUntilListeningAsync(TimeSpan.FromSeconds(60));
        var client = new StoreClient(service.Channel);

        // The caller's deadline is far beyond the store's 3 s: the first call of a fresh process on a
        // busy machine also pays the SDK's warm-up, and the answer must be the store's own.
        var elapsed = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<RpcException>(async () => await client.GetItemAsync(
            new GetItemRequest { TenantId = 1, Id = ItemRequests.UnknownId() }, deadline: DateTime.UtcNow.AddSeconds(15)));
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.InRange(elapsed.Elapsed, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(10));
        await service.WaitForHealthAsync(ServingStatus.NotServing, TimeSpan.FromSeconds(15));

        // SIGTERM while a call is in flight: the call still gets its answer, then the process exits cleanly.
        var inFlight = client.ListItemsAsync(new ListItemsRequest { TenantId = 1 }, deadline: DateTime.UtcNow.AddSeconds(10));
        await Task.Delay(TimeSpan.FromSeconds(1)); // well inside the call's 3 s DynamoDB timeout
        var exit = service.TerminateAsync(TimeSpan.FromSeconds(20));
        var inFlightError = await Assert.ThrowsAsync<RpcException>(async () => await inFlight);

        Assert.Equal(StatusCode.Unavailable, inFlightError.StatusCode);
        Assert.Equal("the item store is unavailable; nothing was changed; retry later", inFlightError.Status.Detail);
        Assert.Equal(0, await exit);
        Assert.Contains("Application is shutting down", service.Output);
    }
}
