using CanaryDemo.CanaryCheck.Analysis;

namespace CanaryDemo.CanaryCheck.Tests;

public class LatencyStatisticsTests
{
    private static readonly double[] OneToTwenty = [.. Enumerable.Range(1, 20).Select(n => (double)n).Reverse()];

    [Fact]
    public void Percentiles_are_nearest_rank_samples_whatever_their_order()
    {
        Assert.Equal(10, LatencyStatistics.Percentile(OneToTwenty, 0.50));
        Assert.Equal(19, LatencyStatistics.Percentile(OneToTwenty, 0.95));
        Assert.Equal(20, LatencyStatistics.Percentile(OneToTwenty, 1.0));
        Assert.Equal(7, LatencyStatistics.Percentile([7], 0.95));
        Assert.Throws<ArgumentException>(() => LatencyStatistics.Percentile([], 0.5));
    }

    [Fact]
    public void A_summary_holds_both_sides_percentiles_and_their_ratios()
    {
        var summary = LatencyStatistics.Summarize("get", OneToTwenty, [.. OneToTwenty.Select(ms => ms * 2)]);

        Assert.Equal((20, 10, 19, 20, 38), (summary.Pairs, summary.StableP50, summary.StableP95, summary.CanaryP50, summary.CanaryP95));
        Assert.Equal(2.0, summary.P50Ratio);
        Assert.Equal(2.0, summary.P95Ratio);
    }

    [Theory]
    // p50 ratio above 1.25 and at least 5 ms slower: a regression.
    [InlineData(4, 154, true)]
    [InlineData(20, 26, true)]
    // Slower by the ratio, but by less than 5 ms: jitter of a fast step, not a regression.
    [InlineData(2, 4, false)]
    // 5 ms slower, but within the ratio: a slow step, not a regression.
    [InlineData(40, 45, false)]
    [InlineData(20, 25, false)]
    // Faster is never a regression.
    [InlineData(20, 5, false)]
    public void A_regression_needs_both_the_ratio_and_the_absolute_slowdown(double stableP50, double canaryP50, bool regression) =>
        Assert.Equal(regression, new LatencySummary("get", 30, stableP50, stableP50, canaryP50, canaryP50).IsRegression(LatencyThresholds.Default));

    [Fact]
    public void The_thresholds_are_options()
    {
        var summary = new LatencySummary("get", 30, 10, 12, 13, 15);
        Assert.False(summary.IsRegression(LatencyThresholds.Default));
        Assert.True(summary.IsRegression(new LatencyThresholds(30, 1.2, 2)));
    }
}
