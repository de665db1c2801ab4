using System.Net;
using CanaryDemo.ApiService.Tests.Infrastructure;

namespace CanaryDemo.ApiService.Tests;

/// <summary>
/// The api's management port answers Prometheus' /metrics and the application port does not (the
/// listener itself is ServiceDefaults', tested in ServiceDefaults.Tests).
/// </summary>
public sealed class ManagementPortTests
{
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
