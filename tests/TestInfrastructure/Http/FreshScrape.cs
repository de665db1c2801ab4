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

    /// <summary>
    /// Fresh scrapes until <paramref name="done"/> holds for one or <paramref name="timeout"/> has
    /// passed; returns the last. Metrics are recorded just after the client sees what they count.
    /// </summary>
    public static async Task<string> ReadUntilAsync(HttpClient management, Func<string, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var scrape = await ReadAsync(management);
            if (done(scrape) || DateTime.UtcNow > deadline)
            {
                return scrape;
            }
        }
    }
}
