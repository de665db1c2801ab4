using System.Diagnostics;
using OpenTelemetry;

namespace CanaryDemo.Shared.Canary;

/// <summary>
/// The PR number of the request being served, flowing with the async call chain. Entering a
/// scope also tags the current span and adds the W3C baggage entry, so every consumer sees the
/// same value from the same place.
/// </summary>
public static class CanaryContext
{
    private static readonly AsyncLocal<string?> CurrentPr = new();

    /// <summary>The PR number, or null when the request is not for a canary.</summary>
    public static string? Current => CurrentPr.Value;

    /// <summary>Makes <paramref name="pr"/> the ambient canary until the returned scope is disposed.</summary>
    /// <param name="pr">A value accepted by <see cref="CanaryValue.TryParse(string?, out string?)"/>.</param>
    public static IDisposable Enter(string pr)
    {
        if (!CanaryValue.TryParse(pr, out _))
        {
            throw new ArgumentException("Not a valid canary value.", nameof(pr));
        }

        var activity = Activity.Current;
        var scope = new Scope(CurrentPr.Value, Baggage.Current, activity);
        CurrentPr.Value = pr;
        Baggage.SetBaggage(CanaryHeaders.BaggageKey, pr);
        // Activity baggage is what the runtime's W3C propagator writes on outgoing HTTP calls,
        // with or without the OpenTelemetry SDK.
        activity?.SetTag(CanaryHeaders.SpanAttribute, pr).SetBaggage(CanaryHeaders.BaggageKey, pr);
        return scope;
    }

    private sealed class Scope(string? previousPr, Baggage previousBaggage, Activity? activity) : IDisposable
    {
        public void Dispose()
        {
            CurrentPr.Value = previousPr;
            Baggage.Current = previousBaggage;
            activity?.SetBaggage(CanaryHeaders.BaggageKey, previousPr);
        }
    }
}
