namespace CanaryDemo.CanaryCheck.Analysis;

/// <summary>What the check was asked to do.</summary>
internal sealed record CheckSettings(string Pr, Uri Url, string Scenario, LatencyThresholds Latency);

/// <summary>How the check ran: each run's tenant, how many requests it sent, how long it took.</summary>
internal sealed record CheckRunInfo(IReadOnlyDictionary<string, long> Tenants, int Steps, int Requests, TimeSpan Duration);

/// <summary>Everything the reports say. <see cref="CannotRun"/> set means the check stopped before comparing.</summary>
internal sealed record CheckResult(
    CheckSettings Settings,
    CheckRunInfo Run,
    string? CannotRun,
    RouteFindings? Route,
    IReadOnlyList<StepComparison> Steps,
    IReadOnlyList<Regression> Regressions,
    IReadOnlyList<LatencySummary> Latency)
{
    public IEnumerable<(string Step, FieldDifference Difference)> Differences =>
        Steps.SelectMany(step => step.Differences.Select(difference => (step.Step, difference)));

    public Verdict Verdict =>
        CannotRun is not null || Route is not { Proven: true } ? Verdict.CouldNotRun
        : Regressions.Count > 0 ? Verdict.Regression
        : Differences.Any() ? Verdict.Differs
        : Verdict.Same;

    /// <summary>Why there is no verdict, in one sentence, when there is none.</summary>
    public string? CouldNotRunReason =>
        CannotRun
        ?? (Route is { NotRouted: true } ? $"not routed: no canary response came from PR {Settings.Pr}'s code at any hop (every hop answered stable, or no route header came)"
        : Route is { Proven: false } ? $"misrouted: {Route.Problems.Count} answer(s) did not come from the code they were sent to"
        : null);

    public static CheckResult Failed(CheckSettings settings, CheckRunInfo run, string reason) => new(settings, run, reason, null, [], [], []);
}
