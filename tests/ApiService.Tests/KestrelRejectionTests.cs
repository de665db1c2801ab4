using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using CanaryDemo.ApiService.Tests.Infrastructure;
using CanaryDemo.Testing.Http;

namespace CanaryDemo.ApiService.Tests;

/// <summary>
/// Requests Kestrel refuses before any middleware runs (so no request log line and no problem
/// body) are still counted: Kestrel's own kestrel.connection.duration records why each connection
/// ended in error.type, and the connection of a refused request ends with it.
/// Alone, not next to other classes: every host's metrics listener sees the Kestrel connections of
/// every host in the process, and with others running their label sets (a port each) can fill the
/// stream's 200 before this host's rejections arrive, which then count only in the overflow series.
/// </summary>
[Collection(Name)]
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed partial class KestrelRejectionTests
{
    private const string Name = "kestrel-rejections";

    [Fact]
    public async Task Too_large_headers_a_too_long_request_line_and_a_malformed_request_are_refused_and_counted()
    {
        await using var store = await StoreDoubleHost.StartAsync();
        await using var api = await ApiHost.StartAsync(store.Address);
        var before = Rejections(await FreshScrape.ReadAsync(api.Management));

        var headers = await SendRawAsync(api, $"GET /api/v1/items HTTP/1.1\r\nHost: x\r\nX-Tenant-ID: 1\r\nX-Big: {new string('a', 40_000)}\r\n\r\n");
        var requestLine = await SendRawAsync(api, $"GET /api/v1/items?q={new string('a', 10_000)} HTTP/1.1\r\nHost: x\r\n\r\n");
        var malformed = await SendRawAsync(api, "GET /api/v1/items HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 431 ", headers);
        Assert.StartsWith("HTTP/1.1 414 ", requestLine);
        Assert.StartsWith("HTTP/1.1 400 ", malformed);
        string[] reasons = ["max_request_headers_total_size_exceeded", "invalid_request_line", "invalid_request_headers"];
        var after = Rejections(await FreshScrape.ReadUntilAsync(
            api.Management,
            scrape => reasons.All(reason => Rejections(scrape).GetValueOrDefault(reason) > before.GetValueOrDefault(reason)),
            TimeSpan.FromSeconds(10)));
        Assert.All(reasons, reason => Assert.Equal(1, after.GetValueOrDefault(reason) - before.GetValueOrDefault(reason)));
    }

    private static async Task<string> SendRawAsync(ApiHost api, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(api.Client.BaseAddress!.Host, api.Client.BaseAddress.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        // Kestrel answers and closes the connection.
        return await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Connections ended with an error, by error_type, in a scrape of the management port.</summary>
    private static Dictionary<string, double> Rejections(string scrape) =>
        ConnectionEnds().Matches(scrape)
            .GroupBy(match => match.Groups["type"].Value)
            .ToDictionary(group => group.Key, group => group.Sum(match => double.Parse(match.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture)));

    [GeneratedRegex("""^kestrel_connection_duration_seconds_count\{[^}]*error_type="(?<type>[a-z_]+)"[^}]*\} (?<count>[0-9.e+]+)""", RegexOptions.Multiline)]
    private static partial Regex ConnectionEnds();
}
