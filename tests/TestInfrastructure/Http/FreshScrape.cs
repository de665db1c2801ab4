namespace CanaryDemo.Testing.Http;

/// <summary>
/// A scrape of a management port's <c>/metrics</c> that sees what happened before it was asked for:
/// the Prometheus exporter answers scrapes from a 300 ms cache (ScrapeResponseCacheDurationMilliseconds),
/// so the scrape waits that out first.
/// </summary>
public static class FreshScrape
{
    private static readonly TimeSpan ScrapeCache = TimeSpan.FromMilliseconds(400);

    public static async Task<string> ReadAsync(HttpClient management)
    {
        await Task.Delay(ScrapeCache);
        return await management.GetStringAsync("/metrics");
    }
}
