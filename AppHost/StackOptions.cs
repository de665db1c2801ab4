using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace CanaryDemo.AppHost;

/// <summary>
/// What to run, from the configuration section <c>Stack</c>: <c>scripts/run</c> translates its
/// flags into these keys (<c>--Stack:Engine=dynalite</c>, ...), the tests pass them as arguments to
/// Aspire.Hosting.Testing. A port of 0 is a free loopback port.
/// </summary>
public sealed partial class StackOptions
{
    public const string SectionName = "Stack";

    /// <summary><see cref="Dashboard"/> from the command line, which the orchestrator's options need before its configuration exists.</summary>
    public static bool DashboardWanted(string[] args) =>
        new ConfigurationBuilder().AddCommandLine(args).Build().GetSection(SectionName).GetValue(nameof(Dashboard), true);

    public const string DynamoDbLocal = "dynamodb-local";
    public const string Dynalite = "dynalite";

    /// <summary><see cref="DynamoDbLocal"/> (Amazon's DynamoDB Local, Java) or <see cref="Dynalite"/> (Node.js).</summary>
    public string Engine { get; set; } = DynamoDbLocal;

    /// <summary>The api port: the stable api-service, or the local edge when PR tracks run.</summary>
    public int ApiPort { get; set; }

    /// <summary>The store port: the stable store-service, or the local east-west proxy when PR tracks run.</summary>
    public int StorePort { get; set; }

    public int DynamoPort { get; set; }

    /// <summary>The stable api's management port (<c>/metrics</c>); PR tracks get free ports.</summary>
    public int ApiMetricsPort { get; set; }

    /// <summary>The stable store's management port (<c>/metrics</c>); PR tracks get free ports.</summary>
    public int StoreMetricsPort { get; set; }

    /// <summary>
    /// Runs the dashboard, and every process sends it its telemetry. Without it nothing is exported
    /// and the services record no spans, as in the dev cluster without a collector: what the
    /// benchmarks measure. Read before the orchestrator is built (<see cref="DashboardWanted"/>).
    /// </summary>
    public bool Dashboard { get; set; } = true;

    /// <summary>The dashboard's port; unset, the orchestrator's (Aspire.Hosting.Testing picks free ones).</summary>
    public int? DashboardPort { get; set; }

    /// <summary>The dashboard's OTLP/gRPC port, where every process sends its telemetry.</summary>
    public int? OtlpPort { get; set; }

    /// <summary>
    /// The state folder: logs, process ids and addresses of the running processes, the DynamoDB
    /// data, the page-token key, the local issuer's key, the worktree of <see cref="StableRef"/>.
    /// Unset: a temporary folder, removed when the stack stops.
    /// </summary>
    public string? State { get; set; }

    /// <summary>Keeps no DynamoDB data (else it lives in <c>&lt;state&gt;/&lt;engine&gt;</c>).</summary>
    public bool InMemory { get; set; }

    /// <summary>The browser origins every api track allows (CORS).</summary>
    public List<string> CorsOrigins { get; set; } = [];

    /// <summary>PR tracks to run next to stable: <c>42</c> (both services) or <c>42:api-service</c>, <c>42:store-service</c>, <c>42:api-service,store-service</c>.</summary>
    public List<string> Prs { get; set; } = [];

    /// <summary>A git ref stable is built from (a worktree in the state folder); PR tracks run the working tree.</summary>
    public string? StableRef { get; set; }

    /// <summary><c>shared</c> (PR stores use stable's table, as in the dev cluster) or <c>isolated</c> (a table per PR).</summary>
    public string PrData { get; set; } = "shared";

    /// <summary><c>header</c> (tenant from X-Tenant-ID) or <c>jwt</c> (bearer tokens).</summary>
    public string Auth { get; set; } = "header";

    /// <summary>The issuer every api track trusts in <c>jwt</c> mode; unset, the local issuer (tools/local-issuer) with its key in the state folder.</summary>
    public JwtIssuer? Jwt { get; set; }

    /// <summary>Whether api-service tracks run; without them the stack is a store on its DynamoDB (the store's own test suite).</summary>
    public bool Api { get; set; } = true;

    /// <summary>Settings added to every track of a service, by service name (e.g. the tests' time budgets).</summary>
    public Dictionary<string, Dictionary<string, string>> Environment { get; set; } = [];

    /// <summary>The PR tracks, parsed from <see cref="Prs"/>: (PR, service) in the order given.</summary>
    public IReadOnlyList<PrTrack> Tracks() =>
        [.. Prs.Select(PrSpec.Parse).SelectMany(spec => spec.Services.Select(service => new PrTrack(spec.Pr, service)))];

    /// <summary>Every problem with the options, each a sentence naming the flag.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Engine is not (DynamoDbLocal or Dynalite))
        {
            problems.Add($"--engine must be {DynamoDbLocal} or {Dynalite}, not '{Engine}'");
        }

        if (PrData is not ("shared" or "isolated"))
        {
            problems.Add($"--pr-data must be shared or isolated, not '{PrData}'");
        }

        if (Auth is not ("header" or "jwt"))
        {
            problems.Add($"--auth must be header or jwt, not '{Auth}'");
        }

        foreach (var (flag, port) in new[] { ("--api-port", ApiPort), ("--store-port", StorePort), ("--dynamo-port", DynamoPort), ("--api-metrics-port", ApiMetricsPort), ("--store-metrics-port", StoreMetricsPort), ("--dashboard-port", DashboardPort ?? 0), ("--otlp-port", OtlpPort ?? 0) })
        {
            if (port is < 0 or > 65535)
            {
                problems.Add($"{flag} must be a port number, not {port}");
            }
        }

        if (!Api && Prs.Count > 0)
        {
            problems.Add("PR tracks need the api-service: they are reached through the local edge");
        }

        var seen = new HashSet<int>();
        foreach (var spec in Prs)
        {
            if (!PrSpec.TryParse(spec, out var parsed))
            {
                problems.Add($"--pr {spec}: expected a PR number, optionally :api-service, :store-service or :api-service,store-service");
            }
            else if (!seen.Add(parsed.Pr))
            {
                problems.Add($"--pr {parsed.Pr} is given twice");
            }
        }

        return problems;
    }
}

/// <summary>One PR's copy of one service.</summary>
public sealed record PrTrack(int Pr, string Service)
{
    public string Track => $"pr-{Pr}";

    /// <summary>The resource (and process) name: <c>api-service-pr-42</c>.</summary>
    public string Name => $"{Service}-{Track}";
}

/// <summary>A <c>--pr</c> argument: a PR number (as the canary contract spells it) and the services it changed.</summary>
internal sealed partial record PrSpec(int Pr, IReadOnlyList<string> Services)
{
    public static PrSpec Parse(string spec) =>
        TryParse(spec, out var parsed) ? parsed : throw new ArgumentException($"Not a --pr argument: '{spec}'.", nameof(spec));

    public static bool TryParse(string spec, out PrSpec parsed)
    {
        parsed = null!;
        var match = Pattern().Match(spec);
        if (!match.Success)
        {
            return false;
        }

        string[] services = match.Groups["services"].Success
            ? match.Groups["services"].Value.Split(',')
            : [LocalServices.ApiService, LocalServices.StoreService];
        parsed = new PrSpec(int.Parse(match.Groups["pr"].Value, System.Globalization.CultureInfo.InvariantCulture), [.. services.Distinct()]);
        return true;
    }

    [GeneratedRegex("^(?<pr>[1-9][0-9]{0,8})(:(?<services>(api-service|store-service)(,(api-service|store-service))?))?$")]
    private static partial Regex Pattern();
}
