using System.Diagnostics.CodeAnalysis;
using CanaryDemo.CanaryCheck.Running;

namespace CanaryDemo.CanaryCheck.Analysis;

/// <summary>When a slower canary is a regression: its p50 above <see cref="P50Ratio"/> times stable's, and at least <see cref="MinSlowdownMs"/> slower.</summary>
internal sealed record LatencyThresholds(int Pairs, double P50Ratio, double MinSlowdownMs)
{
    public static LatencyThresholds Default { get; } = new(30, 1.25, 5);
}

/// <summary>One read step's latency, stable and canary, in milliseconds; <see cref="Remeasured"/> when a first round looked slower.</summary>
internal sealed record LatencySummary(string Step, int Pairs, double StableP50, double StableP95, double CanaryP50, double CanaryP95)
{
    public bool Remeasured { get; init; }

    public double P50Ratio => Ratio(CanaryP50, StableP50);

    public double P95Ratio => Ratio(CanaryP95, StableP95);

    public bool IsRegression(LatencyThresholds thresholds) =>
        P50Ratio > thresholds.P50Ratio && CanaryP50 - StableP50 >= thresholds.MinSlowdownMs;

    // A timed answer always takes some time; the floor only keeps a ratio finite.
    private static double Ratio(double canary, double stable) => canary / Math.Max(stable, 0.001);
}

/// <summary>Percentiles of the interleaved repeats.</summary>
internal static class LatencyStatistics
{
    /// <summary>The nearest-rank percentile: the smallest sample with at least <paramref name="fraction"/> of the samples at or below it.</summary>
    public static double Percentile(IReadOnlyList<double> samples, double fraction)
    {
        if (samples.Count == 0)
        {
            throw new ArgumentException("no samples", nameof(samples));
        }

        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(fraction * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }

    /// <summary>The summary of the repeats that were answered, if both sides have any.</summary>
    public static bool TrySummarize(string step, IEnumerable<StepResponse> stable, IEnumerable<StepResponse> canary, [NotNullWhen(true)] out LatencySummary? summary)
    {
        var stableMs = Milliseconds(stable);
        var canaryMs = Milliseconds(canary);
        summary = stableMs.Count > 0 && canaryMs.Count > 0 ? Summarize(step, stableMs, canaryMs) : null;
        return summary is not null;
    }

    public static LatencySummary Summarize(string step, IReadOnlyList<double> stableMs, IReadOnlyList<double> canaryMs) => new(
        step,
        Math.Min(stableMs.Count, canaryMs.Count),
        Percentile(stableMs, 0.50),
        Percentile(stableMs, 0.95),
        Percentile(canaryMs, 0.50),
        Percentile(canaryMs, 0.95));

    private static List<double> Milliseconds(IEnumerable<StepResponse> responses) =>
        responses.Where(response => response.Answered).Select(response => response.Elapsed.TotalMilliseconds).ToList();
}
