using System.Text.Json;
using CanaryDemo.CanaryCheck.Analysis;
using CanaryDemo.CanaryCheck.Json;
using CanaryDemo.CanaryCheck.Reports;

namespace CanaryDemo.CanaryCheck.Tests;

public class ReportTests
{
    private static readonly CheckSettings Settings = new("42", new Uri("http://127.0.0.1:8080"), "items.yaml", LatencyThresholds.Default);

    private static readonly CheckRunInfo Run = new(new Dictionary<string, long> { ["stable-a"] = 11, ["stable-b"] = 12, ["canary"] = 13 }, 2, 130, TimeSpan.FromSeconds(3.25));

    private static readonly CheckResult Differs = new(
        Settings,
        Run,
        null,
        new RouteFindings(["api-service"], []),
        [
            new StepComparison("sell from the inventory", [ResponseField.Body(JsonPath.Parse("$.item.id"))], [new FieldDifference(ResponseField.Body(JsonPath.Parse("$.previous_count")), "150", "151", true)]),
            new StepComparison("get", [], [new FieldDifference(ResponseField.Body(JsonPath.Parse("$.name")), "\"Lamp\"", "\"a | b ` <script>alert(1)</script> [x](https://evil.example) @team\"", true)]),
        ],
        [],
        [new LatencySummary("get", 30, 2, 4, 2.1, 4.4)]);

    [Fact]
    public void The_markdown_report_leads_with_the_verdict_and_lists_each_difference_with_step_field_and_both_values()
    {
        var markdown = MarkdownReport.Write(Differs);

        Assert.StartsWith("## Canary check: PR 42, differs from stable (review the differences)\n", markdown, StringComparison.Ordinal);
        Assert.Contains("| verdict | **differs from stable (review the differences)** (exit code 3) |", markdown, StringComparison.Ordinal);
        Assert.Contains("| PR 42 served | api-service |", markdown, StringComparison.Ordinal);
        Assert.Contains("| sell from the inventory | `$.previous_count` | `150` | `151` |", markdown, StringComparison.Ordinal);
        Assert.Contains("| get | 30 | 2.0 | 2.1 | x1.05 | 4.0 | 4.4 | x1.10 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| sell from the inventory | `$.item.id` |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_from_the_canary_cannot_break_the_table_or_become_links_html_or_mentions()
    {
        var line = MarkdownReport.Write(Differs).Split('\n').Single(l => l.StartsWith("| get | `$.name`", StringComparison.Ordinal));

        // One code span, fenced by more backticks than it contains, with its pipe escaped.
        Assert.Equal("| get | `$.name` | `\"Lamp\"` | ``\"a \\| b ` <script>alert(1)</script> [x](https://evil.example) @team\"`` |", line);
    }

    [Fact]
    public void Long_values_are_cut()
    {
        var code = MarkdownText.Code(new string('x', 500));

        Assert.Equal(MarkdownText.MaxValueLength + 3, code.Length);
        Assert.EndsWith("…`", code, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_text_escapes_what_markdown_would_act_on() =>
        Assert.Equal("a \\| b \\[x\\](y) \\<b\\> \\*c\\* \\@team \\#12", MarkdownText.Plain("a | b [x](y) <b> *c* @team #12"));

    [Fact]
    public void The_json_report_holds_the_verdict_the_differences_and_the_figures()
    {
        using var json = JsonDocument.Parse(JsonReport.Write(Differs));
        var root = json.RootElement;

        Assert.Equal(42, root.GetProperty("pr").GetInt32());
        Assert.Equal("differs", root.GetProperty("verdict").GetString());
        Assert.Equal(3, root.GetProperty("exit_code").GetInt32());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("reason").ValueKind);
        Assert.Equal(["api-service"], root.GetProperty("served_by_pr").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(13, root.GetProperty("tenants").GetProperty("canary").GetInt64());
        var difference = root.GetProperty("differences")[0];
        Assert.Equal(
            ("sell from the inventory", "$.previous_count", "150", "151"),
            (difference.GetProperty("step").GetString(), difference.GetProperty("field").GetString(), difference.GetProperty("stable").GetString(), difference.GetProperty("canary").GetString()));
        var latency = root.GetProperty("latency")[0];
        Assert.Equal(1.05, latency.GetProperty("p50_ratio").GetDouble());
        Assert.False(latency.GetProperty("regression").GetBoolean());
        Assert.Equal(["$.item.id"], root.GetProperty("noise")[0].GetProperty("fields").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void A_check_that_could_not_run_says_why_and_nothing_else()
    {
        var result = CheckResult.Failed(Settings, Run, "stable-a got no answer to step 'create' from http://127.0.0.1:8080/: Connection refused");

        var markdown = MarkdownReport.Write(result);
        using var json = JsonDocument.Parse(JsonReport.Write(result));

        Assert.Contains("| verdict | **could not run** (exit code 2) |", markdown, StringComparison.Ordinal);
        Assert.Contains("| why | stable-a got no answer to step 'create' from http://127.0.0.1:8080/: Connection refused |", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("### Differences", markdown, StringComparison.Ordinal);
        Assert.Equal("could-not-run", json.RootElement.GetProperty("verdict").GetString());
        Assert.StartsWith("stable-a got no answer", json.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_check_whose_canary_was_not_routed_lists_the_routing_problems()
    {
        var result = Differs with { Route = new RouteFindings([], []) };

        var markdown = MarkdownReport.Write(result);

        Assert.Equal(Verdict.CouldNotRun, result.Verdict);
        Assert.Contains("| PR 42 served | nothing |", markdown, StringComparison.Ordinal);
        Assert.Contains("| why | not routed: no canary response came from PR 42's code at any hop", markdown, StringComparison.Ordinal);
    }
}
