using System.Net;
using CanaryDemo.Testing;
using Microsoft.Extensions.Options;

namespace CanaryDemo.ServiceDefaults.Tests;

/// <summary>
/// The management port (Prometheus /metrics): validated while the application is built, added to
/// the configured listen addresses on the same hosts. The scrape of each service is tested against
/// real processes in Observability.Tests.
/// </summary>
public sealed class ManagementPortTests
{
    [Theory]
    [InlineData("--Management:Port=0")]
    [InlineData("--Management:Port=65536")]
    [InlineData("--Management:Port=-1")]
    public void A_port_out_of_range_stops_the_start(string setting)
    {
        var error = Assert.Throws<OptionsValidationException>(() => TestHost.Build("--urls=http://127.0.0.1:0", setting));

        Assert.Contains("Management:Port must be a TCP port from 1 to 65535.", error.Message);
    }

    [Fact]
    public void The_application_port_cannot_be_the_management_port()
    {
        var error = Assert.Throws<OptionsValidationException>(() => TestHost.Build("--urls=http://127.0.0.1:7070", "--Management:Port=7070"));

        Assert.Contains("Management:Port 7070 is also an application port.", error.Message);
    }

    [Fact]
    public void A_port_that_is_not_a_number_stops_the_start_naming_the_setting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => TestHost.Build("--urls=http://127.0.0.1:0", "--Management:Port=metrics"));

        Assert.Contains("Management:Port", error.Message);
    }

    [Theory]
    [InlineData(new[] { "--urls=http://127.0.0.1:0" }, "http://127.0.0.1:0;http://127.0.0.1:9090")]
    [InlineData(new[] { "--urls=http://+:8080" }, "http://+:8080;http://+:9090")]
    [InlineData(new[] { "--urls=http://127.0.0.1:8080;http://[::1]:8080" }, "http://127.0.0.1:8080;http://[::1]:8080;http://127.0.0.1:9090;http://[::1]:9090")]
    [InlineData(new[] { "--http_ports=8080" }, "http://*:8080;http://*:9090")]
    [InlineData(new[] { "--http_ports=8080", "--urls=http://localhost:7000" }, "http://localhost:7000;http://localhost:9090")]
    [InlineData(new string[0], "http://localhost:5000;http://localhost:9090")]
    public async Task The_management_port_listens_on_the_hosts_of_the_application_addresses(string[] settings, string expected)
    {
        await using var app = TestHost.Build(settings);

        Assert.Equal(expected, app.Configuration["urls"]);
        Assert.True(string.IsNullOrEmpty(app.Configuration["http_ports"]));
    }

    [Fact]
    public async Task Metrics_answer_on_the_management_port_only_and_the_application_nowhere_else()
    {
        var managementPort = FreePort.Next();
        await using var app = TestHost.Build("--urls=http://127.0.0.1:0", $"--Management:Port={managementPort}");
        await app.StartAsync();
        var application = app.Urls.Select(url => new Uri(url)).Single(url => url.Port != managementPort);
        using var client = new HttpClient();

        using var scrape = await client.GetAsync($"http://127.0.0.1:{managementPort}/metrics");
        using var rootOnManagement = await client.GetAsync($"http://127.0.0.1:{managementPort}/");
        using var metricsOnApplication = await client.GetAsync(new Uri(application, "/metrics"));
        using var root = await client.GetAsync(application);

        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.Contains("target_info{service_name=\"test-service\"", await scrape.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, rootOnManagement.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, metricsOnApplication.StatusCode);
        Assert.Equal("application", await root.Content.ReadAsStringAsync());
        await app.StopAsync();
    }
}
