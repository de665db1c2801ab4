using System.Globalization;
using System.Text.RegularExpressions;

namespace CanaryDemo.Testing.Http;

/// <summary>A service's <c>client_aborted_requests_total</c>, summed over its series, from a management port.</summary>
public static partial class ClientAbortedRequests
{
    /// <summary>The count, once it reads at least <paramref name="atLeast"/> (10 s at most).</summary>
    public static async Task<long> ReadAsync(HttpClient management, long atLeast = 0) =>
        Total(await FreshScrape.ReadUntilAsync(management, scrape => Total(scrape) >= atLeast, TimeSpan.FromSeconds(10)));

    private static long Total(string scrape) =>
        Line().Matches(scrape).Sum(match => long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^client_aborted_requests_total(?:\{[^}]*\})? (\d+)", RegexOptions.Multiline)]
    private static partial Regex Line();
}
