namespace CanaryDemo.CanaryCheck.Analysis;

/// <summary>What makes the verdict a regression: a server error where stable answered, or a slower read.</summary>
internal sealed record Regression(string Kind, string Step, string Detail)
{
    public const string ServerError = "server-error";
    public const string Latency = "latency";
}
