namespace CanaryDemo.Shared.Canary;

/// <summary>
/// The copy of a service a process is: <c>stable</c>, or <c>pr-&lt;n&gt;</c> for pull request n's
/// canary (n a valid <see cref="CanaryValue"/>). Set by the manifests as <c>Canary:Track</c>.
/// </summary>
public static class CanaryTrack
{
    public const string Stable = "stable";

    public const string PrPrefix = "pr-";

    public static bool IsValid(string? track) =>
        track == Stable
        || (track is not null && track.StartsWith(PrPrefix, StringComparison.Ordinal) && CanaryValue.TryParse(track[PrPrefix.Length..], out _));

    /// <summary>The track of pull request <paramref name="pr"/>'s canary.</summary>
    public static string OfPr(string pr) => PrPrefix + pr;
}

/// <summary>
/// What this process is on a route: its service name and track, written as the hop
/// <c>&lt;service&gt;=&lt;track&gt;</c> (e.g. <c>store-service=pr-42</c>).
/// </summary>
public sealed record TrackIdentity(string Service, string Track)
{
    public bool IsStable => Track == CanaryTrack.Stable;

    public string Hop => $"{Service}={Track}";
}
