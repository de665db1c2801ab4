namespace CanaryDemo.CanaryCheck.Running;

/// <summary>
/// One of the check's three runs of the scenario: stable twice (no <c>X-Canary</c>) and the PR
/// once (<c>X-Canary: n</c>), each in its own fresh tenant with its own request headers.
/// </summary>
internal sealed record RunTarget(string Name, string? Canary, long Tenant, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public const string StableA = "stable-a";
    public const string StableB = "stable-b";
    public const string CanaryRun = "canary";

    public bool IsCanary => Canary is not null;
}
