using System.Net;
using CanaryDemo.ApiService;
using CanaryDemo.ApiService.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace CanaryDemo.ApiService.Tests;

/// <summary>
/// The management port (Prometheus /metrics): validated while the application is built, added to
/// the configured listen addresses on the same hosts. Both services share this code (Shared.Canary);
/// the scrape itself is tested against real processes in Observability.Tests.
/// </summary>
public sealed class ManagementPortTests
{
    private const string Store = "--StoreService:Address=http://127.0.0.1:1";

    [Theory]
    [InlineData("--Management:Port=0")]
    [InlineData("--Management:Port=65536")]
    [InlineData("--Management:Port=-1")]
    public void A_port_out_of_range_stops_the_start(string setting)
    {
        var error = Assert.Throws<OptionsValidationException>(() => ApiApplication.Build(["--urls=http://127.0.0.1:0", Store, setting]));

        Assert.Contains("Management:Port must be a TCP port from 1 to 65535.", error.Message);
    }

    [Fact]
    public void The_application_port_cannot_be_the_management_port()
    {
        var error = Assert.Throws<OptionsValidationException>(() =>
            ApiApplication.Build(["--urls=http://127.0.0.1:7070", Store, "--Management:Port=7070"]));

        Assert.Contains("Management:Port 7070 is also an application port.", error.Message);
    }

    [Fact]
    public void A_port_that_is_not_a_number_stops_the_start_naming_the_setting()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            ApiApplication.Build(["--urls=http://127.0.0.1:0", Store, "--Management:Port=metrics"]));

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
        await using var app = ApiApplication.Build([Store, .. settings]);

        Assert.Equal(expected, app.Configuration["urls"]);
        Assert.True(string.IsNullOrEmpty(app.Configuration["http_ports"]));
    }

    [Fact]
    public async Task Metrics_answer_on_the_management_port_and_not_on_the_application_port()
    {
        await using var store = await StoreDoubleHost.StartAsync();
        await using var api = await ApiHost.StartAsync(store.Address);

        using var scrape = await api.Management.GetAsync("/metrics");
        using var application = await api.Client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.Contains("target_info{service_name=\"api-service\"", await scrape.Content.ReadAsStringAsync());
        await ProblemAssert.IsProblemAsync(application, HttpStatusCode.NotFound, "route-not-found");
    }
}
