using CanaryDemo.CanaryCheck.Scenarios;

namespace CanaryDemo.CanaryCheck.Running;

/// <summary>One run of the scenario: a response per step, in scenario order, and the values it captured.</summary>
internal sealed record RunRecord(RunTarget Target, IReadOnlyList<StepResponse> Responses, RunVariables Variables);
