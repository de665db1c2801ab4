using System.Diagnostics;
using OpenTelemetry;

namespace CanaryDemo.Shared.Canary;

/// <summary>
/// Tags every span with the track of the process (<c>canary.track</c>), and every span started
/// while a canary request is served with <c>canary.pr</c>: the request's own span is tagged when the
/// scope is entered, this covers its children (store calls, DynamoDB requests), so searching traces
/// by <c>canary.pr</c> finds all of them.
/// </summary>
internal sealed class CanarySpanProcessor(TrackIdentity track) : BaseProcessor<Activity>
{
    public override void OnStart(Activity data)
    {
        data.SetTag(CanaryHeaders.TrackSpanAttribute, track.Track);
        if (CanaryContext.Current is { } pr)
        {
            data.SetTag(CanaryHeaders.SpanAttribute, pr);
        }
    }
}
