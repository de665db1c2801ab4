using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http.Features;

namespace CanaryDemo.Shared.Canary;

/// <summary>
/// The canary's metrics: the <c>canary</c> label (the PR number or <c>stable</c>; only valid PR
/// numbers become label values, which bounds the cardinality), and the counter of requests that
/// asked for a PR but reached this service's stable track (the PR has no canary of this service,
/// or its route is not in place yet).
/// </summary>
public sealed class CanaryMetrics
{
    public const string MeterName = "CanaryDemo.Canary";

    /// <summary>Exported to Prometheus as <c>canary_stable_fallbacks_total{hop, canary}</c>.</summary>
    public const string StableFallbacksInstrument = "canary.stable_fallbacks";

    /// <summary>The service that fell back, named as on a route (<c>api-service</c>, <c>store-service</c>).</summary>
    public const string HopLabel = "hop";

    private readonly TrackIdentity _track;
    private readonly Counter<long> _stableFallbacks;

    public CanaryMetrics(IMeterFactory meters, TrackIdentity track)
    {
        _track = track;
        _stableFallbacks = meters.Create(MeterName).CreateCounter<long>(
            StableFallbacksInstrument,
            description: "Requests that carried a PR number but were served by this service's stable track.");
    }

    /// <summary>The label of a measurement taken while serving a request, from the ambient canary.</summary>
    public static KeyValuePair<string, object?> CurrentLabel => Label(CanaryContext.Current);

    /// <summary>
    /// Labels ASP.NET Core's request metrics (<c>http.server.request.duration</c>) with the
    /// request's canary, and counts it when it asked for a PR that this (stable) track does not serve.
    /// </summary>
    internal void RecordRequest(IFeatureCollection features, string? pr)
    {
        features.Get<IHttpMetricsTagsFeature>()?.Tags.Add(Label(pr));
        if (pr is not null && _track.IsStable)
        {
            _stableFallbacks.Add(1, new(HopLabel, _track.Service), new(CanaryHeaders.LogProperty, pr));
        }
    }

    private static KeyValuePair<string, object?> Label(string? pr) =>
        new(CanaryHeaders.LogProperty, pr ?? CanaryHeaders.StableValue);
}
