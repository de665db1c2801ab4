using System.Text;
using CanaryDemo.CanaryCheck.Analysis;
using static CanaryDemo.CanaryCheck.Reports.MarkdownText;

namespace CanaryDemo.CanaryCheck.Reports;

/// <summary>report.md: the verdict first, then what a reviewer acts on (differences, regressions), then the figures and the noise.</summary>
internal static class MarkdownReport
{
    public static string Write(CheckResult result)
    {
        var settings = result.Settings;
        var verdict = result.Verdict;
        var report = new StringBuilder();
        Line(report, $"## Canary check: PR {settings.Pr}, {verdict.Describe()}");
        Line(report);
        Line(report, "| | |");
        Line(report, "|---|---|");
        Line(report, $"| verdict | **{verdict.Describe()}** (exit code {(int)verdict}) |");
        if (result.CouldNotRunReason is { } reason)
        {
            Line(report, $"| why | {Plain(reason)} |");
        }

        Line(report, $"| target | {Code(settings.Url.ToString())}, stable without `X-Canary`, the canary with `X-Canary: {settings.Pr}` |");
        if (result.Route is { } route)
        {
            Line(report, $"| PR {settings.Pr} served | {(route.NotRouted ? "nothing" : Plain(string.Join(", ", route.ServedByPr)))} |");
        }

        var run = result.Run;
        Line(report, $"| scenario | {Code(settings.Scenario)}: {run.Steps} steps, run three times (stable twice, the canary once), each in a fresh tenant |");
        Line(report, $"| requests | {run.Requests} in {run.Duration.TotalSeconds:0.0} s |");
        Line(report);

        if (result.Route is { Problems.Count: > 0 } misrouted)
        {
            Section(report, "Routing");
            foreach (var problem in misrouted.Problems.Take(20))
            {
                Line(report, $"- {Plain(problem)}");
            }

            if (misrouted.Problems.Count > 20)
            {
                Line(report, $"- and {misrouted.Problems.Count - 20} more (report.json)");
            }

            Line(report);
        }

        // Without a verdict, differences and timings would compare stable with whatever answered.
        if (verdict == Verdict.CouldNotRun)
        {
            return report.ToString();
        }

        Section(report, "Differences");
        var differences = result.Differences.ToList();
        if (differences.Count == 0)
        {
            Line(report, "None beyond noise.");
        }
        else
        {
            Line(report, "| step | field | stable | canary |");
            Line(report, "|---|---|---|---|");
            foreach (var (step, difference) in differences)
            {
                Line(report, $"| {Plain(step)} | {Code(difference.Field.ToString())} | {Code(difference.Left)} | {Code(difference.Right)} |");
            }
        }

        Line(report);
        Section(report, "Regressions");
        if (result.Regressions.Count == 0)
        {
            Line(report, "None.");
        }
        else
        {
            Line(report, "| step | kind | what |");
            Line(report, "|---|---|---|");
            foreach (var regression in result.Regressions)
            {
                Line(report, $"| {Plain(regression.Step)} | {regression.Kind} | {Plain(regression.Detail)} |");
            }
        }

        Line(report);
        Section(report, "Latency");
        var latency = settings.Latency;
        Line(report, $"Each read step repeated {latency.Pairs} times, stable and canary interleaved, after a few uncounted pairs, and once more when it looked slower (then the second round counts); a p50 ratio above x{latency.P50Ratio:0.00} that is also at least {latency.MinSlowdownMs:0.#} ms slower is a regression. Times in ms.");
        Line(report);
        Line(report, "| step | pairs | stable p50 | canary p50 | p50 ratio | stable p95 | canary p95 | p95 ratio |");
        Line(report, "|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var summary in result.Latency)
        {
            var flag = summary.IsRegression(latency) ? " **slower**" : string.Empty;
            Line(report, $"| {Plain(summary.Step)} | {summary.Pairs}{(summary.Remeasured ? " (2nd round)" : string.Empty)} | {summary.StableP50:0.0} | {summary.CanaryP50:0.0} | x{summary.P50Ratio:0.00}{flag} | {summary.StableP95:0.0} | {summary.CanaryP95:0.0} | x{summary.P95Ratio:0.00} |");
        }

        Line(report);
        var noisy = result.Steps.Where(step => step.Noise.Count > 0).ToList();
        Line(report, $"<details><summary>Noise: {noisy.Sum(step => step.Noise.Count)} fields in {noisy.Count} steps differ between the two stable runs and are not compared</summary>");
        Line(report);
        Line(report, "| step | fields |");
        Line(report, "|---|---|");
        foreach (var step in noisy)
        {
            Line(report, $"| {Plain(step.Step)} | {string.Join(", ", step.Noise.Select(field => Code(field.ToString())))} |");
        }

        Line(report);
        Line(report, "</details>");
        return report.ToString();
    }

    private static void Section(StringBuilder report, string title)
    {
        Line(report, $"### {title}");
        Line(report);
    }

    private static void Line(StringBuilder report, string line = "") => report.Append(line).Append('\n');
}
