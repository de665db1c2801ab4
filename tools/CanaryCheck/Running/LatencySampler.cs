using CanaryDemo.CanaryCheck.Analysis;
using CanaryDemo.CanaryCheck.Scenarios;

namespace CanaryDemo.CanaryCheck.Running;

/// <summary>
/// Every repeated response of one read step, stable's and the canary's pair by pair: the warm-up,
/// then one or two rounds; the pairs from <see cref="MeasuredFrom"/> on are the measurement.
/// </summary>
internal sealed record LatencySamples(string Step, IReadOnlyList<StepResponse> Stable, IReadOnlyList<StepResponse> Canary, int MeasuredFrom, bool Remeasured)
{
    public IEnumerable<StepResponse> MeasuredStable => Stable.Skip(MeasuredFrom);

    public IEnumerable<StepResponse> MeasuredCanary => Canary.Skip(MeasuredFrom);
}

/// <summary>
/// Repeats every step that measures latency, stable and canary interleaved one request at a time
/// (stable, canary, stable, canary, ...), so both see the same moments of a shared machine or
/// cluster; each run sends its own request, with the values it captured. Each step starts with
/// a few pairs that are not counted: by then stable has answered two runs and the canary one, and
/// a freshly started canary would pay for it. A step that looks slower than the thresholds allow is measured once more, and the second round
/// is the measurement: a burst of load on a shared machine, or code the JIT had not compiled fully
/// yet, passes; a canary that is really slower stays slower.
/// </summary>
internal sealed class LatencySampler(ScenarioRunner runner, LatencyThresholds thresholds)
{
    private const int WarmUpPairs = 5;

    public async Task<IReadOnlyList<LatencySamples>> SampleAsync(Scenario scenario, RunRecord stable, RunRecord canary, CancellationToken cancellationToken)
    {
        var samples = new List<LatencySamples>();
        for (var index = 0; index < scenario.Steps.Count; index++)
        {
            var step = scenario.Steps[index];
            // A step one of the runs could not send has nothing to time.
            if (!step.MeasuresLatency || !stable.Responses[index].Answered || !canary.Responses[index].Answered)
            {
                continue;
            }

            var stableResponses = new List<StepResponse>();
            var canaryResponses = new List<StepResponse>();
            await RepeatAsync(step, stable, canary, WarmUpPairs, stableResponses, canaryResponses, cancellationToken);
            await RepeatAsync(step, stable, canary, thresholds.Pairs, stableResponses, canaryResponses, cancellationToken);
            var first = new LatencySamples(step.Name, stableResponses, canaryResponses, WarmUpPairs, Remeasured: false);
            if (!LooksSlower(first))
            {
                samples.Add(first);
                continue;
            }

            await RepeatAsync(step, stable, canary, thresholds.Pairs, stableResponses, canaryResponses, cancellationToken);
            samples.Add(first with { MeasuredFrom = WarmUpPairs + thresholds.Pairs, Remeasured = true });
        }

        return samples;
    }

    private async Task RepeatAsync(
        ScenarioStep step, RunRecord stable, RunRecord canary, int pairs, List<StepResponse> stableResponses, List<StepResponse> canaryResponses, CancellationToken cancellationToken)
    {
        for (var pair = 0; pair < pairs; pair++)
        {
            stableResponses.Add(await runner.SendAsync(step, stable, cancellationToken));
            canaryResponses.Add(await runner.SendAsync(step, canary, cancellationToken));
        }
    }

    private bool LooksSlower(LatencySamples samples) =>
        LatencyStatistics.TrySummarize(samples.Step, samples.MeasuredStable, samples.MeasuredCanary, out var summary) && summary.IsRegression(thresholds);
}
