using System.Net;
using CanaryDemo.EndToEnd.Tests.Infrastructure;

namespace CanaryDemo.EndToEnd.Tests;

/// <summary>Browsers on the configured origin may send X-Canary and read the echo; other origins may not.</summary>
[Collection(StackCollection.Name)]
public sealed class CorsTests(StackFixture stack)
{
    [Fact]
    public async Task A_configured_origin_may_send_X_Canary_and_read_the_echo()
    {
        using var preflight = await stack.Client.SendAsync(Preflight(StackFixture.AllowedOrigin));

        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal([StackFixture.AllowedOrigin], preflight.Headers.GetValues("Access-Control-Allow-Origin"));
        Assert.Contains("x-canary", AllowedHeaders(preflight));
        Assert.Contains("x-tenant-id", AllowedHeaders(preflight));

        var tenant = stack.NewTenant();
        var id = (await stack.Client.CreateItemAsync(tenant)).GetProperty("id").GetString();
        using var request = RawRequests.Create(HttpMethod.Get, $"/api/v1/items/{id}", tenant)
            .WithHeader("Origin", StackFixture.AllowedOrigin)
            .WithHeader("X-Canary", "42");
        using var response = await stack.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([StackFixture.AllowedOrigin], response.Headers.GetValues("Access-Control-Allow-Origin"));
        Assert.Contains("X-Canary-Echo", response.Headers.GetValues("Access-Control-Expose-Headers").SelectMany(value => value.Split(',', StringSplitOptions.TrimEntries)));
        Assert.Equal(["42"], response.Headers.GetValues("X-Canary-Echo"));
    }

    [Theory]
    [InlineData("https://evil.example.test")]
    [InlineData("http://canary-ui.example.test")]
    public async Task A_foreign_origin_is_refused(string origin)
    {
        using var preflight = await stack.Client.SendAsync(Preflight(origin));

        Assert.False(preflight.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(preflight.Headers.Contains("Access-Control-Allow-Headers"));
    }

    private static HttpRequestMessage Preflight(string origin) =>
        new HttpRequestMessage(HttpMethod.Options, "/api/v1/items")
            .WithHeader("Origin", origin)
            .WithHeader("Access-Control-Request-Method", "GET")
            .WithHeader("Access-Control-Request-Headers", "x-canary,x-tenant-id");

    private static string[] AllowedHeaders(HttpResponseMessage response) =>
        [.. response.Headers.GetValues("Access-Control-Allow-Headers").SelectMany(value => value.Split(',', StringSplitOptions.TrimEntries)).Select(header => header.ToLowerInvariant())];
}
