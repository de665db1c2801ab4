using CanaryDemo.CanaryCheck.Running;
using CanaryDemo.CanaryCheck.Scenarios;

namespace CanaryDemo.CanaryCheck.Analysis;

/// <summary>Turns the three runs and the latency repeats into the check's findings.</summary>
internal static class CheckAnalysis
{
    public static CheckResult Analyze(
        CheckSettings settings,
        CheckRunInfo run,
        Scenario scenario,
        RunRecord stable,
        RunRecord secondStable,
        RunRecord canary,
        IReadOnlyList<LatencySamples> latency)
    {
        var steps = scenario.Steps.Select((step, index) =>
            NoiseModel.Compare(step.Name, stable.Responses[index], secondStable.Responses[index], canary.Responses[index])).ToList();

        var route = RouteProof.Examine(
            settings.Pr,
            WithSteps(scenario, canary).Concat(latency.SelectMany(samples => samples.Canary.Select(response => (samples.Step, response)))),
            WithSteps(scenario, stable).Concat(WithSteps(scenario, secondStable)).Concat(latency.SelectMany(samples => samples.Stable.Select(response => (samples.Step, response)))));

        var regressions = new List<Regression>();
        for (var index = 0; index < scenario.Steps.Count; index++)
        {
            var (a, b, c) = (stable.Responses[index], secondStable.Responses[index], canary.Responses[index]);
            if (c.IsServerFailure && !a.IsServerFailure && !b.IsServerFailure)
            {
                regressions.Add(new Regression(Regression.ServerError, scenario.Steps[index].Name, $"stable answered {a.Outcome}, the canary {c.Outcome}"));
            }
        }

        var summaries = new List<LatencySummary>();
        foreach (var samples in latency)
        {
            var failed = samples.Stable.Zip(samples.Canary).Count(pair => pair.Second.IsServerFailure && !pair.First.IsServerFailure);
            if (failed > 0)
            {
                regressions.Add(new Regression(Regression.ServerError, samples.Step, $"{failed} of {samples.Canary.Count} repeats: the canary failed ({samples.Canary.First(response => response.IsServerFailure).Outcome}) where stable answered"));
            }

            if (!LatencyStatistics.TrySummarize(samples.Step, samples.MeasuredStable, samples.MeasuredCanary, out var measured))
            {
                continue;
            }

            var summary = measured with { Remeasured = samples.Remeasured };
            summaries.Add(summary);
            if (summary.IsRegression(settings.Latency))
            {
                regressions.Add(new Regression(
                    Regression.Latency,
                    samples.Step,
                    FormattableString.Invariant($"p50 {summary.CanaryP50:0.0} ms vs stable {summary.StableP50:0.0} ms (x{summary.P50Ratio:0.00}, above x{settings.Latency.P50Ratio:0.00} and at least {settings.Latency.MinSlowdownMs:0.#} ms slower)")));
            }
        }

        return new CheckResult(settings, run, null, route, steps, regressions, summaries);
    }

    private static IEnumerable<(string Step, StepResponse Response)> WithSteps(Scenario scenario, RunRecord run) =>
        scenario.Steps.Select((step, index) => (step.Name, run.Responses[index]));
}
