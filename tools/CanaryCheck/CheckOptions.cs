using CanaryDemo.CanaryCheck.Analysis;

namespace CanaryDemo.CanaryCheck;

/// <summary>The command line, parsed and checked (see <see cref="CommandLine"/>); <see cref="ScenarioName"/> is the scenario as the reports name it.</summary>
internal sealed record CheckOptions(
    string Pr,
    Uri Url,
    string ScenarioPath,
    string ScenarioName,
    string? OutDirectory,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string? TokenCommand,
    LatencyThresholds Latency,
    TimeSpan Timeout);
