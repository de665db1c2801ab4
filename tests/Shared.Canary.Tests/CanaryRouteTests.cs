using System.Collections.Concurrent;
using System.Net;

namespace CanaryDemo.Shared.Canary.Tests;

/// <summary>The route of a request: the edge's hop, then the hop each call answered with, errors included.</summary>
public class CanaryRouteTests(CanaryPipeline pipeline) : IClassFixture<CanaryPipeline>
{
    private static readonly string Route = $"{CanaryPipeline.EdgeName}=stable, {CanaryPipeline.ServerName}={CanaryPipeline.ServerTrack}";

    [Theory]
    [InlineData(null)]
    [InlineData("42")]
    [InlineData("abc")]
    public async Task A_response_names_the_edge_then_the_server_that_answered_its_call(string? canary)
    {
        using var response = await SendAsync("/call", canary);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([Route], response.Headers.GetValues(CanaryRoute.HttpHeader));
    }

    [Fact]
    public async Task A_failed_call_still_reports_the_hop_that_answered_it()
    {
        using var response = await SendAsync("/call?fail=true", "42");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("NotFound", await response.Content.ReadAsStringAsync());
        Assert.Equal([Route], response.Headers.GetValues(CanaryRoute.HttpHeader));
    }

    [Fact]
    public async Task A_request_that_calls_nothing_has_only_the_edge_hop()
    {
        using var response = await SendAsync("/ambient", "42");

        Assert.Equal([$"{CanaryPipeline.EdgeName}=stable"], response.Headers.GetValues(CanaryRoute.HttpHeader));
    }

    [Fact]
    public async Task A_request_for_a_pr_served_by_a_stable_track_is_counted_by_that_service_and_pr()
    {
        var counted = new ConcurrentBag<(long Value, string? Hop, string? Canary)>();
        using var listener = pipeline.ListenToEdge<long>(CanaryMetrics.MeterName, CanaryMetrics.StableFallbacksInstrument, (value, tags) =>
            counted.Add((value, tags.Single(t => t.Key == CanaryMetrics.HopLabel).Value as string, tags.Single(t => t.Key == "canary").Value as string)));

        foreach (var canary in new[] { "42", "7", null, "042" })
        {
            using var response = await SendAsync("/call", canary);
            response.EnsureSuccessStatusCode();
        }

        // The edge is stable: it served PR 42 and PR 7 in their place. The server is pr-42's own track.
        Assert.Equal(
            [(1L, CanaryPipeline.EdgeName, "42"), (1L, CanaryPipeline.EdgeName, "7")],
            counted.OrderBy(c => c.Canary, StringComparer.Ordinal).ToArray());
    }

    private async Task<HttpResponseMessage> SendAsync(string path, string? canary)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (canary is not null)
        {
            request.Headers.Add(CanaryHeaders.HttpHeader, canary);
        }

        return await pipeline.Client.SendAsync(request);
    }
}
