using System.CommandLine;
using System.CommandLine.Parsing;
using CanaryDemo.CanaryCheck.Analysis;
using CanaryDemo.Shared.Canary;

namespace CanaryDemo.CanaryCheck;

/// <summary>The options of <c>./scripts/canary-check</c> and their checks (docs/README.md, "Checking a canary").</summary>
internal static class CommandLine
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    /// <summary>Where the default scenario lives in the repository (its build copies it next to the tool).</summary>
    public const string DefaultScenario = "tools/CanaryCheck/default-scenario.yaml";

    private static readonly Option<string> Pr = new("--pr")
    {
        Description = "The PR whose canary is checked: requests carry X-Canary: <n>.",
        Required = true,
        Validators = { result => Check(result, CanaryValue.TryParse(result.GetValueOrDefault<string>(), out _), "a PR number (digits, no leading zero, at most 9)") },
    };

    private static readonly Option<string> Url = new("--url")
    {
        Description = "Where stable and the canary answer, behind the routing by X-Canary (the local edge of ./scripts/run by default).",
        DefaultValueFactory = _ => DefaultUrl,
        Validators = { result => Check(result, IsHttpUrl(result.GetValueOrDefault<string>()), "an absolute http or https URL") },
    };

    private static readonly Option<string?> Scenario = new("--scenario")
    {
        Description = $"The scenario file (YAML); by default the items api's, {DefaultScenario}.",
    };

    private static readonly Option<string?> Out = new("--out")
    {
        Description = "A folder to write report.md and report.json to (created if missing).",
    };

    private static readonly Option<string[]> Header = new("--header")
    {
        Description = "'Name: value', sent with every request of every run (repeatable); e.g. an api key. Not X-Canary.",
        Validators = { result => CheckHeaders(result) },
    };

    private static readonly Option<string?> TokenCommand = new("--token-command")
    {
        Description = $"A shell command printing a bearer token for tenant ${Running.TokenCommand.TenantVariable}, run once per run (an api in Jwt mode).",
    };

    private static readonly Option<int> LatencyPairs = new("--latency-pairs")
    {
        Description = "Interleaved stable/canary pairs per read step (at least 20).",
        DefaultValueFactory = _ => LatencyThresholds.Default.Pairs,
        Validators = { result => Check(result, result.GetValueOrDefault<int>() is >= 20 and <= 1000, "from 20 to 1000") },
    };

    private static readonly Option<double> LatencyRatio = new("--latency-ratio")
    {
        Description = "A canary p50 above this times stable's is a regression when it is also --latency-min-ms slower.",
        DefaultValueFactory = _ => LatencyThresholds.Default.P50Ratio,
        Validators = { result => Check(result, result.GetValueOrDefault<double>() is > 1 and < 1000, "a ratio above 1") },
    };

    private static readonly Option<double> LatencyMinMs = new("--latency-min-ms")
    {
        Description = "How many milliseconds slower a canary p50 must also be to be a regression.",
        DefaultValueFactory = _ => LatencyThresholds.Default.MinSlowdownMs,
        Validators = { result => Check(result, result.GetValueOrDefault<double>() is >= 0 and < 60_000, "from 0 to 60000") },
    };

    private static readonly Option<int> Timeout = new("--timeout")
    {
        Description = "Seconds to wait for one answer.",
        DefaultValueFactory = _ => 30,
        Validators = { result => Check(result, result.GetValueOrDefault<int>() is >= 1 and <= 600, "from 1 to 600 seconds") },
    };

    public static RootCommand Create(Func<CheckOptions, CancellationToken, Task<int>> run)
    {
        var command = new RootCommand(
            "Runs a scenario against stable twice and against PR n's canary once, and says whether the canary behaves like stable. " +
            "Exit codes: 0 same as stable, 3 differs (review), 1 regression, 2 could not run.")
        {
            Pr, Url, Scenario, Out, Header, TokenCommand, LatencyPairs, LatencyRatio, LatencyMinMs, Timeout,
        };
        command.SetAction((result, cancellationToken) => run(Options(result), cancellationToken));
        return command;
    }

    private static CheckOptions Options(ParseResult result) => new(
        result.GetValue(Pr)!,
        new Uri(result.GetValue(Url)!),
        result.GetValue(Scenario) ?? Path.Combine(AppContext.BaseDirectory, Path.GetFileName(DefaultScenario)),
        result.GetValue(Scenario) ?? DefaultScenario,
        result.GetValue(Out),
        [.. (result.GetValue(Header) ?? []).Select(ParseHeader)],
        result.GetValue(TokenCommand),
        new LatencyThresholds(result.GetValue(LatencyPairs), result.GetValue(LatencyRatio), result.GetValue(LatencyMinMs)),
        TimeSpan.FromSeconds(result.GetValue(Timeout)));

    private static void Check(OptionResult result, bool valid, string expected)
    {
        if (!valid)
        {
            result.AddError($"{result.Option.Name} must be {expected}, not '{string.Join(' ', result.Tokens.Select(token => token.Value))}'");
        }
    }

    private static void CheckHeaders(OptionResult result)
    {
        foreach (var value in result.GetValueOrDefault<string[]>() ?? [])
        {
            var separator = value.IndexOf(':', StringComparison.Ordinal);
            if (separator <= 0 || value[..separator].Any(character => character <= ' ' || character >= 127))
            {
                result.AddError($"--header must be 'Name: value', not '{value}'");
            }
            else if (string.Equals(value[..separator], CanaryHeaders.HttpHeader, StringComparison.OrdinalIgnoreCase))
            {
                result.AddError($"--header cannot set {CanaryHeaders.HttpHeader}: the check sends it on the canary run only");
            }
        }
    }

    private static KeyValuePair<string, string> ParseHeader(string value)
    {
        var separator = value.IndexOf(':', StringComparison.Ordinal);
        return KeyValuePair.Create(value[..separator], value[(separator + 1)..].Trim());
    }

    private static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
