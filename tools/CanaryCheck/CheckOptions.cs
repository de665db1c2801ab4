using CanaryDemo.CanaryCheck.Analysis;

namespace CanaryDemo.CanaryCheck;

/// <summary>The command line, parsed and checked (see <see cref="CommandLine"/>).</summary>
internal sealed record CheckOptions(
    string Pr,
    Uri Url,
    string ScenarioPath,
    string? OutDirectory,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string? TokenCommand,
    LatencyThresholds Latency,
    TimeSpan Timeout);
