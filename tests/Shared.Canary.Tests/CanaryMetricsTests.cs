using System.Collections.Concurrent;

namespace CanaryDemo.Shared.Canary.Tests;

public class CanaryMetricsTests(CanaryPipeline pipeline) : IClassFixture<CanaryPipeline>
{
    [Fact]
    public async Task Request_metrics_are_labelled_with_the_pr_or_stable_and_never_an_invalid_value()
    {
        var labels = new ConcurrentBag<string?>();
        using var listener = pipeline.ListenToEdge<double>("Microsoft.AspNetCore.Hosting", "http.server.request.duration", (_, tags) =>
        {
            if (tags.FirstOrDefault(t => t.Key == "http.route").Value as string == "/ambient")
            {
                labels.Add(tags.FirstOrDefault(t => t.Key == CanaryHeaders.LogProperty).Value as string);
            }
        });

        foreach (var value in new[] { "42", "abc", "0042", null })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/ambient");
            if (value is not null)
            {
                request.Headers.Add(CanaryHeaders.HttpHeader, value);
            }

            using var response = await pipeline.Client.SendAsync(request);
            response.EnsureSuccessStatusCode();
        }

        // The duration is recorded as the request ends, just after the response reached the client.
        for (var i = 0; i < 50 && labels.Count < 4; i++)
        {
            await Task.Delay(20);
        }

        Assert.Equal(["42", "stable", "stable", "stable"], labels.Order(StringComparer.Ordinal));
    }
}
