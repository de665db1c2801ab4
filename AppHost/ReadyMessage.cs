using System.Text;

namespace CanaryDemo.AppHost;

/// <summary>What the run command prints once every process is ready: where each one listens, and how to try it.</summary>
internal static class ReadyMessage
{
    /// <summary>The last line; scripts and tests wait for it (bench/lib.sh, scripts/lib/local-stack.mjs).</summary>
    public const string ReadyLine = "Press Ctrl-C to stop.";

    public static string Compose(StackLayout layout, string? dashboardUrl, string? exampleToken)
    {
        var options = layout.Options;
        var api = $"http://127.0.0.1:{layout.ApiPort}";
        var text = new StringBuilder();
        var data = options.InMemory ? "" : $", data in {layout.State.DataOf(options.Engine)}/";
        text.AppendLine().AppendLine($"CanaryDemo is running (logs in {layout.State.Logs}/{data}):");
        if (!layout.HasPrTracks)
        {
            if (options.Api)
            {
                text.AppendLine($"  api-service    {api}   (OpenAPI UI: {api}/scalar)");
            }

            text.AppendLine($"  store-service  http://127.0.0.1:{layout.StorePort} (gRPC, h2c)");
        }
        else
        {
            text.AppendLine($"  edge           {api}   routes by X-Canary like Traefik (OpenAPI UI: /scalar)");
            text.AppendLine($"  east-west      http://127.0.0.1:{layout.StorePort} (gRPC, h2c) routes by x-canary like Linkerd; every api track dials it");
            foreach (var track in layout.Processes.Where(process => process.MetricsPort is not null).OrderBy(process => process.Name, StringComparer.Ordinal))
            {
                text.AppendLine($"  {track.Name,-27} {track.Url} (metrics :{track.MetricsPort})");
            }

            text.AppendLine($"  routes         {layout.State.RoutingFile} (from the manifests)");
            // Each PR's preview host: the edge sets X-Canary: <n> on every request to it (pr-<n>.localhost
            // stands for pr-<n>.<dev host>; curl and browsers resolve *.localhost to loopback).
            foreach (var number in PrNumbers(options))
            {
                text.AppendLine($"  {$"preview host of PR {number}",-27} {PreviewOrigin(number, layout.ApiPort)} (X-Canary: {number} set by the edge)");
            }
        }

        text.AppendLine($"  {options.Engine,-14} http://127.0.0.1:{layout.DynamoPort}");
        if (options.StableRef is { } reference)
        {
            text.AppendLine($"  stable         built from {reference} in {layout.State.StableCheckout}");
        }

        if (dashboardUrl is not null)
        {
            text.AppendLine($"  dashboard      {dashboardUrl}   traces, structured logs and metrics of every process (no login: loopback only)");
        }

        text.AppendLine($"  CORS origins   {string.Join(' ', options.CorsOrigins)}");
        var pr = options.Tracks().FirstOrDefault()?.Pr ?? 42;
        text.AppendLine().AppendLine("Try:");
        text.AppendLine($"  curl -s -X POST {api}/api/v1/items -H 'X-Tenant-ID: 1' -H 'Content-Type: application/json' \\");
        text.AppendLine("""    -d '{"name":"Wireless Headphones","price":299.99,"category":"electronics","sku":"WH-001","inventory_count":150,"tags":["wireless"]}'""");
        text.AppendLine($"  curl -s '{api}/api/v1/items?category=electronics' -H 'X-Tenant-ID: 1'");
        text.AppendLine($"  curl -si {api}/api/v1/items -H 'X-Tenant-ID: 1' -H 'X-Canary: {pr}' | grep -i x-canary");
        if (layout.HasPrTracks)
        {
            text.AppendLine($"  curl -si {PreviewOrigin(pr, layout.ApiPort)}/api/v1/items -H 'X-Tenant-ID: 1' | grep -i x-canary");
        }

        text.AppendLine().AppendLine(ReadyLine);
        if (exampleToken is not null)
        {
            text.AppendLine("The api is in Jwt mode: the commands above need a bearer token (X-Tenant-ID becomes optional).");
            text.AppendLine("A token for tenant 1, valid for an hour:");
            text.AppendLine($"  export TOKEN={exampleToken}");
            text.AppendLine($"  curl -s {api}/api/v1/items -H \"Authorization: Bearer $TOKEN\"");
            text.AppendLine($"Others: scripts/mint-token --state '{layout.State.Folder}' --tenant 7 --user alice");
        }

        return text.ToString();
    }

    private static IEnumerable<int> PrNumbers(StackOptions options) => options.Tracks().Select(track => track.Pr).Distinct();

    private static string PreviewOrigin(int pr, int apiPort) => $"http://pr-{pr}.localhost:{apiPort}";
}
