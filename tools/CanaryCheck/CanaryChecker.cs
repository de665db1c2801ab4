using System.Diagnostics;
using CanaryDemo.CanaryCheck.Analysis;
using CanaryDemo.CanaryCheck.Running;
using CanaryDemo.CanaryCheck.Scenarios;

namespace CanaryDemo.CanaryCheck;

/// <summary>
/// The check: the scenario against stable twice and against the PR once, each run in a fresh
/// tenant; then the read steps repeated, stable and canary interleaved; then the comparison.
/// </summary>
internal sealed class CanaryChecker(CheckOptions options, TextWriter progress)
{
    // Fresh tenants far from any a person would type, and below 2^53 so that every JSON reader keeps them exact.
    private const long FirstTenant = 1_000_000_000_000_000;
    private const long LastTenant = 9_000_000_000_000_000;

    public async Task<CheckResult> RunAsync(CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var settings = new CheckSettings(options.Pr, options.Url, options.ScenarioName, options.Latency);
        var tenants = FreshTenants();
        using var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false };
        using var client = new HttpClient(handler) { Timeout = options.Timeout };
        var sender = new StepSender(client);
        CheckRunInfo Info(int steps) => new(tenants, steps, sender.Requests, stopwatch.Elapsed);

        Scenario scenario;
        try
        {
            scenario = ScenarioReader.Read(options.ScenarioPath);
        }
        catch (ScenarioException exception)
        {
            return CheckResult.Failed(settings, Info(0), $"the scenario cannot be used: {exception.Message}");
        }

        var runner = new ScenarioRunner(options.Url, scenario, sender);
        try
        {
            var runs = new List<RunRecord>();
            foreach (var (name, tenant) in tenants)
            {
                var target = new RunTarget(name, name == RunTarget.CanaryRun ? options.Pr : null, tenant, await HeadersAsync(tenant, cancellationToken));
                var started = stopwatch.Elapsed;
                runs.Add(await runner.RunAsync(target, cancellationToken));
                await progress.WriteLineAsync($"{name} (tenant {tenant}): {scenario.Steps.Count} steps in {(stopwatch.Elapsed - started).TotalSeconds:0.0} s");
            }

            IReadOnlyList<LatencySamples> latency = [];
            if (NotRouted(scenario, runs[2]))
            {
                await progress.WriteLineAsync("latency: not measured, no canary answer came from the PR");
            }
            else
            {
                var latencyStarted = stopwatch.Elapsed;
                latency = await new LatencySampler(runner, options.Latency).SampleAsync(scenario, runs[0], runs[2], cancellationToken);
                await progress.WriteLineAsync(
                    $"latency: {latency.Count} read steps, {latency.Sum(samples => samples.Stable.Count)} interleaved pairs in {(stopwatch.Elapsed - latencyStarted).TotalSeconds:0.0} s");
            }

            return CheckAnalysis.Analyze(settings, Info(scenario.Steps.Count), scenario, runs[0], runs[1], runs[2], latency);
        }
        catch (CheckCannotRunException exception)
        {
            return CheckResult.Failed(settings, Info(scenario.Steps.Count), exception.Message);
        }
    }

    /// <summary>Whether no canary answer came from the PR: then there is nothing to time.</summary>
    private bool NotRouted(Scenario scenario, RunRecord canary) =>
        RouteProof.Examine(options.Pr, scenario.Steps.Select((step, index) => (step.Name, canary.Responses[index])), []).NotRouted;

    private static Dictionary<string, long> FreshTenants()
    {
        var tenants = new Dictionary<string, long>();
        foreach (var name in new[] { RunTarget.StableA, RunTarget.StableB, RunTarget.CanaryRun })
        {
            long tenant;
            do
            {
                tenant = Random.Shared.NextInt64(FirstTenant, LastTenant);
            }
            while (tenants.ContainsValue(tenant));
            tenants[name] = tenant;
        }

        return tenants;
    }

    private async Task<List<KeyValuePair<string, string>>> HeadersAsync(long tenant, CancellationToken cancellationToken)
    {
        var headers = options.Headers.ToList();
        if (options.TokenCommand is { } command)
        {
            headers.Add(KeyValuePair.Create("Authorization", $"Bearer {await TokenCommand.TokenForAsync(command, tenant, cancellationToken)}"));
        }

        return headers;
    }
}
