using Microsoft.AspNetCore.Http.Features;

namespace CanaryDemo.Shared.Canary;

/// <summary>
/// The <c>canary</c> metric label: the PR number or <c>stable</c>. Only valid PR numbers become
/// label values, which bounds the cardinality.
/// </summary>
public static class CanaryMetrics
{
    /// <summary>The label of a measurement taken while serving a request, from the ambient canary.</summary>
    public static KeyValuePair<string, object?> CurrentLabel => Label(CanaryContext.Current);

    /// <summary>Adds the label to ASP.NET Core's request metrics (<c>http.server.request.duration</c>).</summary>
    internal static void TagRequest(IFeatureCollection features, string? pr) =>
        features.Get<IHttpMetricsTagsFeature>()?.Tags.Add(Label(pr));

    private static KeyValuePair<string, object?> Label(string? pr) =>
        new(CanaryHeaders.LogProperty, pr ?? CanaryHeaders.StableValue);
}
