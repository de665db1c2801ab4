namespace CanaryDemo.Shared.Canary;

/// <summary>The names under which the canary value travels and is recorded.</summary>
public static class CanaryHeaders
{
    /// <summary>Request header set by clients, Traefik matches on it.</summary>
    public const string HttpHeader = "X-Canary";

    /// <summary>Response header repeating a valid request value.</summary>
    public const string EchoHeader = "X-Canary-Echo";

    /// <summary>gRPC metadata key; HTTP/2 requires lower-case header names. Linkerd matches on it.</summary>
    public const string MetadataKey = "x-canary";

    /// <summary>W3C baggage entry, carried by any OpenTelemetry-instrumented hop.</summary>
    public const string BaggageKey = "canary";

    /// <summary>Span attribute naming the PR.</summary>
    public const string SpanAttribute = "canary.pr";

    /// <summary>Log event property and metric label.</summary>
    public const string LogProperty = "canary";

    /// <summary>Metric label value for requests that are not served for a canary.</summary>
    public const string StableValue = "stable";

    /// <summary>Log event property and metric label naming the track of the process (<see cref="CanaryTrack"/>).</summary>
    public const string TrackProperty = "track";

    /// <summary>Span attribute naming the track of the process that recorded the span.</summary>
    public const string TrackSpanAttribute = "canary.track";
}
