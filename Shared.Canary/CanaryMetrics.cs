using Microsoft.AspNetCore.Http.Features;

namespace CanaryDemo.Shared.Canary;

/// <summary>
/// Adds the <c>canary</c> label to ASP.NET Core's request metrics (<c>http.server.request.duration</c>).
/// Only valid PR numbers or <c>stable</c> become label values, which bounds the cardinality.
/// </summary>
internal static class CanaryMetrics
{
    public static void TagRequest(IFeatureCollection features, string? pr) =>
        features.Get<IHttpMetricsTagsFeature>()?.Tags.Add(
            new(CanaryHeaders.LogProperty, pr ?? CanaryHeaders.StableValue));
}
