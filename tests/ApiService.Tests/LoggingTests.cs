using System.Net;
using System.Net.Sockets;
using System.Text;
using CanaryDemo.ApiService.Tests.Infrastructure;
using CanaryDemo.Store.V1;
using CanaryDemo.Testing.Http;
using Grpc.Core;
using Grpc.Health.V1;

namespace CanaryDemo.ApiService.Tests;

/// <summary>Console.SetOut is process-wide, so the tests that capture it (<see cref="ConsoleLogEvents"/>) run alone, after the parallel ones.</summary>
[CollectionDefinition(nameof(ConsoleCapture), DisableParallelization = true)]
public sealed class ConsoleCapture;

/// <summary>The JSON log lines on stdout: one per request, with the canary of canary requests.</summary>
[Collection(nameof(ConsoleCapture))]
public sealed class LoggingTests
{
    [Fact]
    public async Task Request_log_lines_are_json_and_carry_the_canary_of_canary_requests_only()
    {
        var tenant = ApiStack.NewTenant();
        var events = await ConsoleLogEvents.CaptureAsync(async () =>
        {
            await using var store = await StoreDoubleHost.StartAsync();
            await using var api = await ApiHost.StartAsync(store.Address);
            using var canary = await api.Client.SendAsync(RawRequests.Create(HttpMethod.Get, $"/api/v1/items/{RawRequests.ItemId}", tenant).WithHeader("X-Canary", "42"));
            using var stable = await api.Client.SendAsync(RawRequests.Create(HttpMethod.Get, "/api/v1/items", tenant));
            Assert.Equal(HttpStatusCode.OK, canary.StatusCode);
            Assert.Equal(HttpStatusCode.OK, stable.StatusCode);
        });

        var requests = events.Where(e => e.TryGetProperty("RequestPath", out _) && e.GetProperty("SourceContext").GetString() == "Serilog.AspNetCore.RequestLoggingMiddleware").ToArray();
        var canaryLine = Assert.Single(requests, e => e.GetProperty("RequestPath").GetString() == $"/api/v1/items/{RawRequests.ItemId}");
        var stableLine = Assert.Single(requests, e => e.GetProperty("RequestPath").GetString() == "/api/v1/items");
        Assert.Equal("42", canaryLine.GetProperty("canary").GetString());
        Assert.Equal(200, canaryLine.GetProperty("StatusCode").GetInt32());
        Assert.Matches("^[0-9a-f]{32}$", canaryLine.GetProperty("@tr").GetString());
        Assert.False(stableLine.TryGetProperty("canary", out _));
        Assert.All(events, e => Assert.Equal("api-service", e.GetProperty("service").GetString()));
        Assert.All(events, e => Assert.False(string.IsNullOrEmpty(e.GetProperty("version").GetString())));
    }

    [Fact]
    public async Task A_store_outage_logs_one_warning_for_many_failed_requests_and_no_errors_and_failing_probes_log_nothing()
    {
        var tenant = ApiStack.NewTenant();
        var events = await ConsoleLogEvents.CaptureAsync(async () =>
        {
            await using var store = await StoreDoubleHost.StartAsync();
            await using var api = await ApiHost.StartAsync(store.Address);
            store.Store.Script(tenant, new StoreScript(StatusCode.Unavailable, FailReason: StoreFailureReasons.StoreUnavailable));
            store.Health.SetStatus(StoreDoubleHost.StoreServiceName, HealthCheckResponse.Types.ServingStatus.NotServing);
            for (var i = 0; i < 20; i++)
            {
                using var failed = await api.Client.SendAsync(RawRequests.Create(HttpMethod.Get, $"/api/v1/items/{RawRequests.ItemId}", tenant));
                using var probe = await api.Client.GetAsync("/healthz/ready");
                Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
                Assert.Equal(HttpStatusCode.ServiceUnavailable, probe.StatusCode);
            }

            using var health = await api.Client.GetAsync("/health");
        });

        var requests = events.Where(e => e.TryGetProperty("RequestPath", out _)).ToArray();
        // Each request still has its line, as an ordinary answer; probes have none.
        Assert.Equal(20, requests.Count(e => e.GetProperty("RequestPath").GetString() == $"/api/v1/items/{RawRequests.ItemId}" && !e.TryGetProperty("@l", out _)));
        Assert.DoesNotContain(requests, e => e.GetProperty("RequestPath").GetString()!.StartsWith("/healthz", StringComparison.Ordinal));
        // /health is a caller's request, not a probe: it keeps its line.
        Assert.Single(requests, e => e.GetProperty("RequestPath").GetString() == "/health");
        Assert.DoesNotContain(events, e => e.TryGetProperty("@l", out var level) && level.GetString() is "Error" or "Fatal");
        var warning = Assert.Single(events, e => e.GetProperty("@m").GetString()!.StartsWith("Store call failed", StringComparison.Ordinal));
        Assert.Equal("Warning", warning.GetProperty("@l").GetString());
    }

    [Fact]
    public async Task A_client_that_resets_its_connection_while_the_api_waits_for_the_store_is_499_below_warning_and_counted()
    {
        const int Calls = 10;
        var tenant = ApiStack.NewTenant();
        long before = 0, after = 0;
        var events = await ConsoleLogEvents.CaptureAsync(async () =>
        {
            await using var store = await StoreDoubleHost.StartAsync();
            await using var api = await ApiHost.StartAsync(store.Address);
            store.Store.Script(tenant, new StoreScript(StallUntilDeadline: true));
            before = await ClientAbortedRequests.ReadAsync(api.Management);
            var sockets = new List<Socket>();
            try
            {
                for (var i = 0; i < Calls; i++)
                {
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { LingerState = new LingerOption(true, 0) };
                    sockets.Add(socket);
                    await socket.ConnectAsync(IPAddress.Loopback, api.Client.BaseAddress!.Port);
                    await socket.SendAsync(Encoding.ASCII.GetBytes(
                        $"GET /api/v1/items/{RawRequests.ItemId} HTTP/1.1\r\nHost: api\r\nX-Tenant-ID: {tenant}\r\n\r\n"));
                }

                // Every request waits for the stalled store when its client goes away.
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
                while (store.Store.CallsFor(tenant).Count < Calls && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(50);
                }
            }
            finally
            {
                foreach (var socket in sockets)
                {
                    socket.Dispose(); // with linger 0: RST
                }
            }

            // Stopping the api (at the end of this block) waits for the requests still in progress.
            after = await ClientAbortedRequests.ReadAsync(api.Management, before + Calls);
        });

        var lines = events.Where(e => e.TryGetProperty("RequestPath", out var path) && path.GetString() == $"/api/v1/items/{RawRequests.ItemId}").ToArray();
        Assert.Equal(Calls, lines.Length);
        Assert.All(lines, line =>
        {
            Assert.Equal(499, line.GetProperty("StatusCode").GetInt32());
            Assert.False(line.TryGetProperty("@l", out _), line.ToString()); // Information
        });
        Assert.DoesNotContain(events, e => e.TryGetProperty("@l", out var level) && level.GetString() is "Warning" or "Error" or "Fatal");
        Assert.Equal(before + Calls, after);
    }

}
