using Microsoft.Extensions.Options;

namespace CanaryDemo.Shared.Canary;

/// <summary>
/// Configuration section <c>Canary</c> (env vars <c>Canary__Track</c>, <c>Canary__RouteHeader</c>):
/// which track this process is, and whether its HTTP responses carry <c>X-Canary-Route</c>.
/// </summary>
public sealed class CanaryOptions
{
    public const string SectionName = "Canary";

    /// <summary><c>stable</c> or <c>pr-&lt;n&gt;</c>; a service nobody told otherwise is the stable one.</summary>
    public string Track { get; set; } = CanaryTrack.Stable;

    /// <summary>
    /// Off unless configured: the header tells a caller which code served it, which production has
    /// no reason to disclose. The manifests turn it on in the integration environment and its PR
    /// canaries, and the local AppHost does too.
    /// </summary>
    public bool RouteHeader { get; set; }
}

/// <summary>Refuses a track that no route could ever name.</summary>
internal sealed class CanaryOptionsValidator : IValidateOptions<CanaryOptions>
{
    public ValidateOptionsResult Validate(string? name, CanaryOptions options) => CanaryTrack.IsValid(options.Track)
        ? ValidateOptionsResult.Success
        : ValidateOptionsResult.Fail(
            $"Canary:Track must be '{CanaryTrack.Stable}' or '{CanaryTrack.PrPrefix}<PR number>' (e.g. pr-42), not '{options.Track}'.");
}
