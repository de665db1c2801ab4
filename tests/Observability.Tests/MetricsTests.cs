using System.Net;
using System.Text.RegularExpressions;
using CanaryDemo.Observability.Tests.Infrastructure;

namespace CanaryDemo.Observability.Tests;

/// <summary>What Prometheus scrapes from the management port of both services.</summary>
[Collection(ObservedStackCollection.Name)]
public sealed partial class MetricsTests(ObservedStack stack)
{
    private const string RequestCount = "http_server_request_duration_seconds_count";
    private const string ApiListRoute = "/api/v1/items/";
    private const string StoreListRoute = "/store.v1.StoreService/ListItems";

    [Fact]
    public async Task Request_metrics_of_both_services_are_labelled_with_the_pr_or_stable_never_with_an_invalid_value()
    {
        var apiBefore = await stack.ScrapeAsync(stack.Api);
        var storeBefore = await stack.ScrapeAsync(stack.Store);
        var tenant = ObservedStack.NewTenant();

        foreach (var canary in new[] { "42", null, "abc", "042" })
        {
            using var response = await stack.Client.SendAsync(ApiRequests.Create(HttpMethod.Get, "/api/v1/items", tenant).WithCanary(canary));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var api = await stack.ScrapeUntilAsync(stack.Api, scrape => Increase(apiBefore, scrape, ApiListRoute, "stable") >= 3);
        var store = await stack.ScrapeUntilAsync(stack.Store, scrape => Increase(storeBefore, scrape, StoreListRoute, "stable") >= 3);
        Assert.Equal(1, Increase(apiBefore, api, ApiListRoute, "42"));
        Assert.Equal(3, Increase(apiBefore, api, ApiListRoute, "stable"));
        Assert.Equal(1, Increase(storeBefore, store, StoreListRoute, "42"));
        Assert.Equal(3, Increase(storeBefore, store, StoreListRoute, "stable"));
        foreach (var scrape in new[] { api, store })
        {
            Assert.All(scrape.Samples.Where(sample => sample.Labels.ContainsKey("canary")),
                sample => Assert.Matches(CanaryLabelValue(), sample.Label("canary")));
            Assert.DoesNotContain(scrape.Samples, sample => sample.Labels.Values.Any(value => value is "abc" or "042"));
        }
    }

    [Fact]
    public async Task Request_metrics_name_the_track_and_requests_for_a_pr_served_by_stable_are_counted_per_service_and_pr()
    {
        const string fallbacks = "canary_stable_fallbacks_total";
        var apiBefore = await stack.ScrapeAsync(stack.Api);
        var storeBefore = await stack.ScrapeAsync(stack.Store);
        var tenant = ObservedStack.NewTenant();

        // Both services of this stack are stable: PR 31's requests are served by stable at both hops.
        foreach (var canary in new[] { "31", "31", null, "abc" })
        {
            using var response = await stack.Client.SendAsync(ApiRequests.Create(HttpMethod.Get, "/api/v1/items", tenant).WithCanary(canary));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var api = await stack.ScrapeUntilAsync(stack.Api, scrape => scrape.Sum(fallbacks, ("canary", "31")) - apiBefore.Sum(fallbacks, ("canary", "31")) >= 2);
        var store = await stack.ScrapeUntilAsync(stack.Store, scrape => scrape.Sum(fallbacks, ("canary", "31")) - storeBefore.Sum(fallbacks, ("canary", "31")) >= 2);
        Assert.Equal(2, api.Sum(fallbacks, ("hop", "api-service"), ("canary", "31")) - apiBefore.Sum(fallbacks, ("hop", "api-service"), ("canary", "31")));
        Assert.Equal(2, store.Sum(fallbacks, ("hop", "store-service"), ("canary", "31")) - storeBefore.Sum(fallbacks, ("hop", "store-service"), ("canary", "31")));
        Assert.All(api.Named(fallbacks).Concat(store.Named(fallbacks)), sample => Assert.Matches(CanaryLabelValue(), sample.Label("canary")));
        Assert.DoesNotContain(api.Named(fallbacks).Concat(store.Named(fallbacks)), sample => sample.Label("canary") == "stable");
        foreach (var scrape in new[] { api, store })
        {
            Assert.All(scrape.Named(RequestCount), sample => Assert.Equal("stable", sample.Label("track")));
        }
    }

    [Fact]
    public async Task Store_request_metrics_carry_the_grpc_status_of_each_call()
    {
        const string getItem = "/store.v1.StoreService/GetItem";
        var before = await stack.ScrapeAsync(stack.Store);
        var tenant = ObservedStack.NewTenant();
        var id = await stack.Client.CreateItemAsync(tenant);

        using var found = await stack.Client.SendAsync(ApiRequests.Create(HttpMethod.Get, $"/api/v1/items/{id}", tenant));
        using var missing = await stack.Client.SendAsync(ApiRequests.Create(HttpMethod.Get, $"/api/v1/items/{Guid.CreateVersion7()}", tenant));

        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        (string, string) route = ("http_route", getItem);
        var after = await stack.ScrapeUntilAsync(stack.Store, scrape =>
            scrape.Sum(RequestCount, route) - before.Sum(RequestCount, route) >= 2);
        Assert.Equal(1, after.Sum(RequestCount, route, ("rpc_grpc_status_code", "0")) - before.Sum(RequestCount, route, ("rpc_grpc_status_code", "0")));
        Assert.Equal(1, after.Sum(RequestCount, route, ("rpc_grpc_status_code", "5")) - before.Sum(RequestCount, route, ("rpc_grpc_status_code", "5")));
    }

    [Theory]
    [InlineData("7", "7")]
    [InlineData(null, "stable")]
    public async Task Store_domain_counters_are_labelled_with_the_canary(string? canary, string label)
    {
        var before = await stack.ScrapeAsync(stack.Store);
        var tenant = ObservedStack.NewTenant();

        var id = await stack.Client.CreateItemAsync(tenant, canary);
        using var added = await stack.Client.SendAsync(ApiRequests.Create(HttpMethod.Patch, $"/api/v1/items/{id}/inventory", tenant,
            """{"quantity_change":3,"reason":"restock","updated_by":"test"}""").WithCanary(canary));
        using var tooMany = await stack.Client.SendAsync(ApiRequests.Create(HttpMethod.Patch, $"/api/v1/items/{id}/inventory", tenant,
            """{"quantity_change":-100,"reason":"sale","updated_by":"test"}""").WithCanary(canary));

        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, tooMany.StatusCode);
        string[] counters = ["store_items_created_total", "store_inventory_changes_total", "store_inventory_insufficient_stock_total"];
        var after = await stack.ScrapeUntilAsync(stack.Store, scrape =>
            counters.All(counter => scrape.Sum(counter, ("canary", label)) > before.Sum(counter, ("canary", label))));
        Assert.All(counters, counter => Assert.Equal(1, after.Sum(counter, ("canary", label)) - before.Sum(counter, ("canary", label))));
    }

    [Fact]
    public async Task Metrics_are_answered_on_the_management_port_only_and_scrapes_are_neither_counted_nor_traced()
    {
        using var http1 = new HttpClient();
        using var h2c = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var storeAppPort = await h2c.GetAsync($"{stack.Store.Address}/metrics");
        using var apiOtherPath = await http1.GetAsync($"{stack.Api.ManagementAddress}/api/v1/items");
        using var storeOtherPath = await http1.GetAsync($"{stack.Store.ManagementAddress}/healthz/ready");
        using var storeScrape = await http1.GetAsync($"{stack.Store.ManagementAddress}/metrics");
        var apiScrape = await stack.ScrapeAsync(stack.Api);
        using var apiAppPort = await http1.GetAsync($"{stack.Api.Address}/metrics");

        Assert.Equal(HttpStatusCode.NotFound, storeAppPort.StatusCode);
        Assert.Equal(HttpVersion.Version20, storeAppPort.Version);
        Assert.Equal(HttpStatusCode.NotFound, apiOtherPath.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, storeOtherPath.StatusCode);
        Assert.Equal(HttpStatusCode.OK, storeScrape.StatusCode);
        Assert.Equal(HttpVersion.Version11, storeScrape.Version);
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", await storeScrape.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, apiAppPort.StatusCode);
        Assert.DoesNotContain("# TYPE", await apiAppPort.Content.ReadAsStringAsync());
        // Every application request has a route or failed: a successful one without a route would be a scrape.
        Assert.DoesNotContain(apiScrape.Named(RequestCount), sample => sample.Label("http_route") is null && sample.Label("http_response_status_code") == "200");
        // The app port's /metrics (a 404) is traced; it ended after every management request, so
        // spans of those would have been exported by the time it arrives.
        var appPortSpan = (await stack.Collector.WaitForSpansAsync(
            span => span is { Service: "api-service" } && span.Attribute("url.path") == "/metrics", spans => spans.Count > 0))[0];
        Assert.Equal($"{stack.Api.Port}", appPortSpan.Attribute("server.port"));
        int[] managementPorts = [stack.Api.ManagementPort, stack.Store.ManagementPort];
        Assert.DoesNotContain(stack.Collector.Spans, span => managementPorts.Any(port => span.Attribute("server.port") == $"{port}"));
    }

    [Fact]
    public async Task Metrics_are_also_exported_over_otlp_when_an_endpoint_is_configured()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (stack.Collector.MetricExports < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(stack.Collector.MetricExports >= 2, $"{stack.Collector.MetricExports} metric exports received");
    }

    private static double Increase(PrometheusScrape before, PrometheusScrape after, string route, string canary) =>
        after.Sum(RequestCount, ("http_route", route), ("canary", canary)) - before.Sum(RequestCount, ("http_route", route), ("canary", canary));

    [GeneratedRegex("^(stable|[1-9][0-9]{0,8})$")]
    private static partial Regex CanaryLabelValue();
}
