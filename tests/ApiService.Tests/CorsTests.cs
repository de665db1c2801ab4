using System.Net;
using CanaryDemo.ApiService.Tests.Infrastructure;

namespace CanaryDemo.ApiService.Tests;

/// <summary>Browsers: the configured origin may send the canary headers and read the echo; others may not.</summary>
public sealed class CorsTests(ApiStack stack) : IClassFixture<ApiStack>
{
    private const string RequestedHeaders = "x-canary,x-tenant-id,x-user-id,content-type,if-match,idempotency-key";

    [Fact]
    public async Task Preflight_from_a_configured_origin_allows_the_design_headers()
    {
        using var response = await stack.Client.SendAsync(Preflight(ApiHost.AllowedOrigin, "PUT"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal([ApiHost.AllowedOrigin], response.Headers.GetValues("Access-Control-Allow-Origin"));
        var allowed = string.Join(',', response.Headers.GetValues("Access-Control-Allow-Headers")).ToLowerInvariant().Split(',').Select(h => h.Trim());
        Assert.Equal(RequestedHeaders.Split(',').Order(), allowed.Order());
        Assert.Contains("PUT", string.Join(',', response.Headers.GetValues("Access-Control-Allow-Methods")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://evil.example.test")]
    [InlineData("http://canary-ui.example.test")]
    [InlineData("https://canary-ui.example.test:8443")]
    public async Task Preflight_from_a_foreign_origin_is_refused(string origin)
    {
        using var response = await stack.Client.SendAsync(Preflight(origin, "POST"));

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Headers"));
    }

    [Fact]
    public async Task Cross_origin_response_exposes_the_echo_the_route_and_etag()
    {
        var tenant = ApiStack.NewTenant();
        using var request = RawRequests.Create(HttpMethod.Get, $"/api/v1/items/{RawRequests.ItemId}", tenant)
            .WithHeader("Origin", ApiHost.AllowedOrigin)
            .WithHeader("X-Canary", "42");

        using var response = await stack.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([ApiHost.AllowedOrigin], response.Headers.GetValues("Access-Control-Allow-Origin"));
        var exposed = string.Join(',', response.Headers.GetValues("Access-Control-Expose-Headers")).Split(',').Select(h => h.Trim());
        Assert.Equal(["ETag", "X-Canary-Echo", "X-Canary-Route"], exposed.Order(StringComparer.OrdinalIgnoreCase));
        Assert.Equal(["42"], response.Headers.GetValues("X-Canary-Echo"));
        Assert.False(response.Headers.Contains("X-Canary-Route"), "Canary:RouteHeader is off unless configured");
    }

    private static HttpRequestMessage Preflight(string origin, string method) =>
        new HttpRequestMessage(HttpMethod.Options, "/api/v1/items")
            .WithHeader("Origin", origin)
            .WithHeader("Access-Control-Request-Method", method)
            .WithHeader("Access-Control-Request-Headers", RequestedHeaders);
}
