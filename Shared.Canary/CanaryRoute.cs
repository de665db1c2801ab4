using System.Text.RegularExpressions;
using Grpc.Core;

namespace CanaryDemo.Shared.Canary;

/// <summary>
/// The route a request took: the hops that served it, in call order, written
/// <c>api-service=pr-42, store-service=stable</c>. Every service answers with its own hop followed
/// by the routes its calls answered with; a hop that was not called (or never answered) is absent.
/// The api sends it as the response header <c>X-Canary-Route</c>, the store as the response
/// metadata (trailer) <c>x-canary-route</c> of every call.
/// </summary>
public static partial class CanaryRoute
{
    public const string HttpHeader = "X-Canary-Route";

    /// <summary>gRPC metadata key (lower case, as HTTP/2 requires).</summary>
    public const string MetadataKey = "x-canary-route";

    public const string Separator = ", ";

    /// <summary>One hop, <c>&lt;service&gt;=&lt;track&gt;</c>, as a regular expression without anchors.</summary>
    public const string HopPattern = "[a-z0-9-]+=(stable|pr-[1-9][0-9]{0,8})";

    private static readonly AsyncLocal<Recorder?> CurrentRecorder = new();

    /// <summary>Starts recording the route of the request being served by <paramref name="self"/>.</summary>
    internal static Recorder Begin(TrackIdentity self) => CurrentRecorder.Value = new Recorder(self);

    /// <summary>The route of the request being served, or null outside one.</summary>
    internal static Recorder? Current => CurrentRecorder.Value;

    /// <summary>The hops of a route as written; anything that is not a well-formed route yields none.</summary>
    public static IReadOnlyList<string> Hops(string? route) =>
        route is not null && WellFormed().IsMatch(route) ? route.Split(Separator) : [];

    [GeneratedRegex("^" + HopPattern + "(" + Separator + HopPattern + ")*\\z")]
    private static partial Regex WellFormed();

    /// <summary>The hops of one request, appended as its calls answer.</summary>
    internal sealed class Recorder(TrackIdentity self)
    {
        private readonly Lock _lock = new();
        private readonly List<string> _hops = [self.Hop];

        /// <summary>Appends the route a call answered with, if the metadata holds one.</summary>
        public void AddFrom(Metadata metadata)
        {
            var hops = Hops(metadata.GetValue(MetadataKey));
            lock (_lock)
            {
                _hops.AddRange(hops);
            }
        }

        public override string ToString()
        {
            lock (_lock)
            {
                return string.Join(Separator, _hops);
            }
        }
    }
}
