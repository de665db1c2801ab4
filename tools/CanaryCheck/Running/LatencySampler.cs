using CanaryDemo.CanaryCheck.Analysis;
using CanaryDemo.CanaryCheck.Scenarios;

namespace CanaryDemo.CanaryCheck.Running;

/// <summary>
/// The repeated responses of one read step, stable's and the canary's pair by pair, in one or two
/// rounds; the last round is the measurement.
/// </summary>
internal sealed record LatencySamples(string Step, IReadOnlyList<StepResponse> Stable, IReadOnlyList<StepResponse> Canary, int Rounds)
{
    public IEnumerable<StepResponse> MeasuredStable => LastRound(Stable);

    public IEnumerable<StepResponse> MeasuredCanary => LastRound(Canary);

    private IEnumerable<StepResponse> LastRound(IReadOnlyList<StepResponse> responses) => responses.Skip(responses.Count / Rounds * (Rounds - 1));
}

/// <summary>
/// Repeats every step that measures latency, stable and canary interleaved one request at a time
/// (stable, canary, stable, canary, ...), so both see the same moments of a shared machine or
/// cluster; each run sends its own request, with the values it captured. A step that looks slower
/// than the thresholds allow is measured once more, and the second round is the measurement: a
/// burst of load on a shared machine, or code the JIT had not compiled fully yet, passes; a canary
/// that is really slower stays slower.
/// </summary>
internal sealed class LatencySampler(ScenarioRunner runner, LatencyThresholds thresholds)
{
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
            await RepeatAsync(step, stable, canary, stableResponses, canaryResponses, cancellationToken);
            var rounds = 1;
            if (LooksSlower(step.Name, stableResponses, canaryResponses))
            {
                await RepeatAsync(step, stable, canary, stableResponses, canaryResponses, cancellationToken);
                rounds = 2;
            }

            samples.Add(new LatencySamples(step.Name, stableResponses, canaryResponses, rounds));
        }

        return samples;
    }

    private async Task RepeatAsync(
        ScenarioStep step, RunRecord stable, RunRecord canary, List<StepResponse> stableResponses, List<StepResponse> canaryResponses, CancellationToken cancellationToken)
    {
        for (var pair = 0; pair < thresholds.Pairs; pair++)
        {
            stableResponses.Add(await runner.SendAsync(step, stable, cancellationToken));
            canaryResponses.Add(await runner.SendAsync(step, canary, cancellationToken));
        }
    }

    private bool LooksSlower(string step, List<StepResponse> stable, List<StepResponse> canary) =>
        LatencyStatistics.TrySummarize(step, stable, canary, out var summary) && summary.IsRegression(thresholds);
}
