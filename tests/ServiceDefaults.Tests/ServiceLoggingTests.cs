using System.Net;
using CanaryDemo.Shared.Canary;
using CanaryDemo.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

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
}
