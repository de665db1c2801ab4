using CanaryDemo.CanaryCheck.Scenarios;

namespace CanaryDemo.CanaryCheck.Running;

/// <summary>
/// Runs the scenario's steps in order for one run, capturing values for later steps. A stable run
/// is the baseline: without an answer, or without a value the scenario captures, there is nothing
/// to compare with, and the check cannot run. The canary run goes on: a value it did not capture
/// leaves the steps that need it unsent, which the comparison reports.
/// </summary>
internal sealed class ScenarioRunner(Uri baseUrl, Scenario scenario, StepSender sender)
{
    public async Task<RunRecord> RunAsync(RunTarget target, CancellationToken cancellationToken)
    {
        var variables = new RunVariables(target.Tenant);
        var uncaptured = new Dictionary<string, string>(StringComparer.Ordinal);
        var responses = new List<StepResponse>();
        foreach (var step in scenario.Steps)
        {
            var response = await SendAsync(step, target, variables, uncaptured, cancellationToken);
            if (!target.IsCanary && response.Failure is not null)
            {
                throw new CheckCannotRunException($"{target.Name} got no answer to step '{step.Name}' from {baseUrl}: {response.Failure}");
            }

            foreach (var capture in step.Captures)
            {
                if (capture.TryRead(response, out var value))
                {
                    variables.Set(capture.Variable, value);
                    continue;
                }

                if (!target.IsCanary)
                {
                    var hint = response.Status is 401 or 403 ? " (an api that wants a token: --token-command)" : string.Empty;
                    throw new CheckCannotRunException(
                        $"step '{step.Name}': {target.Name}'s answer ({response.Outcome}) has no {capture.Source} to capture as ${{{capture.Variable}}}; the scenario does not fit this api{hint}");
                }

                variables.Remove(capture.Variable);
                uncaptured[capture.Variable] = $"the canary's answer to '{step.Name}' ({response.Outcome}) has no {capture.Source}";
            }

            responses.Add(response);
        }

        return new RunRecord(target, responses, variables);
    }

    /// <summary>Sends a step for a run whose variables are final (the latency repeats).</summary>
    public Task<StepResponse> SendAsync(ScenarioStep step, RunRecord run, CancellationToken cancellationToken) =>
        SendAsync(step, run.Target, run.Variables, new Dictionary<string, string>(), cancellationToken);

    private async Task<StepResponse> SendAsync(
        ScenarioStep step, RunTarget target, RunVariables variables, Dictionary<string, string> uncaptured, CancellationToken cancellationToken)
    {
        if (!StepRequests.TryBuild(baseUrl, scenario, step, target, variables, out var request, out var missing))
        {
            return StepResponse.Unsent($"needs ${{{missing}}}: {uncaptured.GetValueOrDefault(missing!, "it has no value")}");
        }

        using (request)
        {
            return await sender.SendAsync(request!, cancellationToken);
        }
    }
}
