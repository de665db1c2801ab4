using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CanaryDemo.Observability.Tests.Infrastructure;

namespace CanaryDemo.Observability.Tests;

/// <summary>The Grafana dashboard in the manifests queries what the services really export.</summary>
[Collection(ObservedStackCollection.Name)]
public sealed partial class DashboardTests(ObservedStack stack)
{
    private static readonly string DashboardFile = Path.Combine(
        RepositoryPaths.Root, "manifests-microservices", "kustomize", "components", "grafana-dashboard", "pr-vs-stable.json");

    /// <summary>The PromQL the dashboard uses besides metric and label names.</summary>
    private static readonly HashSet<string> PromQlWords = ["sum", "by", "rate", "histogram_quantile", "or", "label_values"];

    [Fact]
    public async Task Every_metric_and_label_the_dashboard_queries_is_in_a_scrape_of_the_services()
    {
        await MakeEveryDashboardSeriesExistAsync();
        var scrape = (await stack.ScrapeAsync(stack.Api)).Samples.Concat((await stack.ScrapeAsync(stack.Store)).Samples).ToList();
        var queries = Queries();

        Assert.Equal(6, queries.SelectMany(query => query.Metrics).Distinct().Count());
        Assert.All(queries, query =>
        {
            Assert.True(query.UnknownWords.Count == 0, $"unknown {string.Join(", ", query.UnknownWords)} in {query}");
            var samples = scrape.Where(sample => query.Metrics.Contains(sample.Name)).ToList();
            Assert.All(query.Metrics, metric =>
                Assert.True(samples.Any(sample => sample.Name == metric), $"{metric} is not exported ({query})"));
            Assert.All(query.Labels, label =>
                Assert.True(samples.Any(sample => sample.Labels.ContainsKey(label)), $"no {label} label on {string.Join(", ", query.Metrics)}"));
        });
    }

    /// <summary>Traffic that creates every series the dashboard shows, for a canary and for stable.</summary>
    private async Task MakeEveryDashboardSeriesExistAsync()
    {
        foreach (var canary in new[] { "42", null })
        {
            var tenant = ObservedStack.NewTenant();
            var id = await stack.Client.CreateItemAsync(tenant, canary);
            using var sale = await stack.Client.SendAsync(ApiRequests.Create(HttpMethod.Patch, $"/api/v1/items/{id}/inventory", tenant,
                """{"quantity_change":-1,"reason":"sale","updated_by":"test"}""").WithCanary(canary));
            using var oversold = await stack.Client.SendAsync(ApiRequests.Create(HttpMethod.Patch, $"/api/v1/items/{id}/inventory", tenant,
                """{"quantity_change":-100,"reason":"sale","updated_by":"test"}""").WithCanary(canary));
            Assert.Equal(HttpStatusCode.OK, sale.StatusCode);
            Assert.Equal(HttpStatusCode.Conflict, oversold.StatusCode);
        }
    }

    /// <summary>Every PromQL expression in the dashboard (panel targets and template variables), taken apart.</summary>
    private static List<Query> Queries()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(DashboardFile));
        var root = dashboard.RootElement;
        var expressions = root.GetProperty("panels").EnumerateArray()
            .Where(panel => panel.TryGetProperty("targets", out _))
            .SelectMany(panel => panel.GetProperty("targets").EnumerateArray())
            .Select(target => target.GetProperty("expr").GetString()!)
            .Concat(root.GetProperty("templating").GetProperty("list").EnumerateArray()
                .Where(variable => variable.GetProperty("type").GetString() == "query")
                .Select(variable => variable.GetProperty("query").GetString()!))
            .ToList();
        Assert.True(expressions.Count >= 10, $"{expressions.Count} queries");
        return expressions.Select(Query.Of).ToList();
    }

    /// <param name="Metrics">Names written as <c>name{...}</c>.</param>
    /// <param name="Labels">Labels in matchers, <c>by (...)</c> and <c>label_values(..., label)</c>.</param>
    /// <param name="UnknownWords">Any other identifier: a metric without a selector, or PromQL this test does not know.</param>
    private sealed record Query(string Expression, HashSet<string> Metrics, HashSet<string> Labels, List<string> UnknownWords)
    {
        public static Query Of(string expression)
        {
            var selectors = Selector().Matches(expression);
            var labels = selectors.SelectMany(selector => LabelMatcher().Matches(selector.Groups["matchers"].Value))
                .Concat(Grouping().Matches(expression).SelectMany(grouping => LabelName().Matches(grouping.Groups["labels"].Value)))
                .Concat(LabelValuesLabel().Matches(expression))
                .Select(match => match.Groups["label"].Value);
            var rest = RangeSelector().Replace(Grouping().Replace(Selector().Replace(LabelValuesLabel().Replace(expression, ""), " "), " by "), " ");
            return new Query(
                expression,
                [.. selectors.Select(selector => selector.Groups["metric"].Value)],
                [.. labels],
                [.. Identifier().Matches(rest).Select(word => word.Value).Where(word => !PromQlWords.Contains(word))]);
        }

        public override string ToString() => Expression;
    }

    [GeneratedRegex("""(?<metric>[a-zA-Z_:][a-zA-Z0-9_:]*)\{(?<matchers>[^}]*)\}""")]
    private static partial Regex Selector();

    [GeneratedRegex(@"(?<label>[a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*""(?:[^""\\]|\\.)*""")]
    private static partial Regex LabelMatcher();

    [GeneratedRegex("""\bby\s*\((?<labels>[^)]*)\)""")]
    private static partial Regex Grouping();

    [GeneratedRegex("""(?<label>[a-zA-Z_][a-zA-Z0-9_]*)""")]
    private static partial Regex LabelName();

    [GeneratedRegex("""^label_values\(.*,\s*(?<label>[a-zA-Z_][a-zA-Z0-9_]*)\s*\)$""")]
    private static partial Regex LabelValuesLabel();

    [GeneratedRegex("""\[[^\]]*\]""")]
    private static partial Regex RangeSelector();

    [GeneratedRegex("""[a-zA-Z_:][a-zA-Z0-9_:]*""")]
    private static partial Regex Identifier();
}
