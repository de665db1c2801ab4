using System.Net;
using CanaryDemo.Shared.Canary;
using CanaryDemo.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Serilog.Extensions.Logging;

namespace CanaryDemo.ServiceDefaults.Tests;

/// <summary>Every event of a service is one JSON line with its identity; canary requests add <c>canary</c>.</summary>
[Collection(nameof(ConsoleCapture))]
public sealed class ServiceLoggingTests
{
    [Fact]
    public async Task Events_are_json_lines_with_service_version_and_the_canary_of_canary_requests()
    {
        var events = await ConsoleLogEvents.CaptureAsync(async () =>
        {
            var builder = WebApplication.CreateSlimBuilder(["--urls=http://127.0.0.1:0", $"--Management:Port={FreePort.Next()}"]);
            builder.AddServiceDefaults(TestHost.Service);
            builder.ConfigureListeners(Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1);
            await using var app = builder.Build();
            app.UseServiceDefaults();
            app.UseCanaryContext();
            app.MapGet("/", (ILogger<ServiceLoggingTests> logger) =>
            {
                logger.LogInformation("Handled");
                return "ok";
            });
            await app.StartAsync();
            using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            using var plain = await client.GetAsync("/");
            using var canary = new HttpRequestMessage(HttpMethod.Get, "/");
            canary.Headers.Add(CanaryHeaders.HttpHeader, "42");
            using var canaryResponse = await client.SendAsync(canary);
            Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
            Assert.Equal(HttpStatusCode.OK, canaryResponse.StatusCode);
            await app.StopAsync();
        });

        Assert.NotEmpty(events);
        Assert.All(events, e =>
        {
            Assert.Equal("test-service", e.GetProperty("service").GetString());
            Assert.Equal("1.2.3", e.GetProperty("version").GetString());
            Assert.Equal("stable", e.GetProperty("track").GetString());
        });
        var handled = events.Where(e => e.GetProperty("@m").GetString() == "Handled").ToArray();
        Assert.Equal(2, handled.Length);
        Assert.False(handled[0].TryGetProperty("canary", out _));
        Assert.Equal("42", handled[1].GetProperty("canary").GetString());
    }

    [Fact]
    public async Task A_call_its_client_abandoned_is_not_logged_as_an_error_by_grpc_and_every_other_error_stays()
    {
        const string GrpcServerCalls = "Grpc.AspNetCore.Server.ServerCallHandler";
        var errorExecutingServiceMethod = new EventId(6, "ErrorExecutingServiceMethod");
        var events = await ConsoleLogEvents.CaptureAsync(async () =>
        {
            await using var serilog = ServiceLogging.CreateLogger(TestHost.Service);
            using var factory = new SerilogLoggerFactory(serilog);
            var grpc = factory.CreateLogger(GrpcServerCalls);
            // What grpc-dotnet writes when it sees Kestrel's exception of a reset stream or closed connection.
            grpc.LogError(errorExecutingServiceMethod, new IOException("The client reset the request stream."), "Error when executing service method '{ServiceMethod}'.", "GetItem");
            grpc.LogError(errorExecutingServiceMethod, new OperationCanceledException("The connection was aborted"), "Error when executing service method '{ServiceMethod}'.", "GetItem");
            // Real errors: another exception from grpc-dotnet, a malformed request, the same exception elsewhere.
            grpc.LogError(errorExecutingServiceMethod, new InvalidOperationException("a bug"), "Error when executing service method '{ServiceMethod}'.", "ListItems");
            grpc.LogError(errorExecutingServiceMethod, new BadHttpRequestException("Request body too large."), "Error when executing service method '{ServiceMethod}'.", "CreateItem");
            factory.CreateLogger("CanaryDemo.StoreService.Data").LogError(new IOException("disk"), "Write failed");
        });

        Assert.Equal(["ListItems", "CreateItem", null], events.Select(e => e.TryGetProperty("ServiceMethod", out var method) ? method.GetString() : null));
        Assert.All(events, e => Assert.Equal("Error", e.GetProperty("@l").GetString()));
    }
}
