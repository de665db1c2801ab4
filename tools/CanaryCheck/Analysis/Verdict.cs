namespace CanaryDemo.CanaryCheck.Analysis;

/// <summary>The check's answer; its value is the exit code.</summary>
internal enum Verdict
{
    /// <summary>Nothing differs beyond noise, nothing regressed.</summary>
    Same = 0,

    /// <summary>A canary server error where stable answered, or a read step slower than the thresholds allow.</summary>
    Regression = 1,

    /// <summary>No verdict: stable unreachable, the canary not routed to the PR, a scenario that does not fit.</summary>
    CouldNotRun = 2,

    /// <summary>The canary answers differently, and nothing regressed: review the differences.</summary>
    Differs = 3,
}

internal static class VerdictText
{
    public static string Describe(this Verdict verdict) => verdict switch
    {
        Verdict.Same => "same as stable",
        Verdict.Differs => "differs from stable (review the differences)",
        Verdict.Regression => "regression",
        _ => "could not run",
    };

    /// <summary>The lower-case name used in report.json.</summary>
    public static string Name(this Verdict verdict) => verdict switch
    {
        Verdict.Same => "same",
        Verdict.Differs => "differs",
        Verdict.Regression => "regression",
        _ => "could-not-run",
    };
}
