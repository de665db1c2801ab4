using CanaryDemo.CanaryCheck.Analysis;

namespace CanaryDemo.CanaryCheck.Tests;

/// <summary>The whole check over real loopback HTTP against <see cref="FakeApi"/>: three runs, latency repeats, the verdict.</summary>
public sealed class CanaryCheckerTests : IDisposable
{
    private const string Scenario = """
        headers:
          X-Tenant-ID: ${tenant}
        steps:
          - name: create
            method: POST
            path: /things
            body: {name: Lamp}
            capture: {id: $.id}
          - name: get
            path: /things/${id}
          - name: list
            path: /things
          - name: get an unknown id
            path: /things/nope
        """;

    private readonly string _scenario = Path.Combine(Path.GetTempPath(), $"canary-check-{Guid.NewGuid():N}.yaml");

    public CanaryCheckerTests() => File.WriteAllText(_scenario, Scenario);

    public void Dispose() => File.Delete(_scenario);

    [Fact]
    public async Task A_canary_that_answers_like_stable_is_the_same_and_each_run_has_its_own_tenant()
    {
        await using var api = await FakeApi.StartAsync(new FakeCanary());

        var result = await CheckAsync(api.Url);

        Assert.Equal(Verdict.Same, result.Verdict);
        Assert.Equal(["api"], result.Route!.ServedByPr);
        Assert.Equal(["$.id", "$.tenant", "$.read_at"], result.Steps.Single(step => step.Step == "get").Noise.Select(field => field.ToString()));
        Assert.Equal(["get", "list", "get an unknown id"], result.Latency.Select(summary => summary.Step));
        Assert.All(result.Latency, summary => Assert.Equal(20, summary.Pairs));

        var tenants = result.Run.Tenants;
        Assert.Equal(3, tenants.Values.Distinct().Count());
        var requests = api.Requests.ToList();
        Assert.Equal(result.Run.Requests, requests.Count);
        Assert.All(requests, request => Assert.Contains(long.Parse(request.Tenant!, System.Globalization.CultureInfo.InvariantCulture), tenants.Values));
        Assert.All(requests.Where(request => request.Tenant == $"{tenants["canary"]}"), request => Assert.Equal("42", request.Canary));
        Assert.All(requests.Where(request => request.Tenant != $"{tenants["canary"]}"), request => Assert.Null(request.Canary));
    }

    [Fact]
    public async Task A_canary_that_answers_a_field_differently_differs_at_that_step_and_path()
    {
        await using var api = await FakeApi.StartAsync(new FakeCanary { ShoutsNames = true });

        var result = await CheckAsync(api.Url);

        Assert.Equal(Verdict.Differs, result.Verdict);
        Assert.Equal(
            [("create", "$.name", "\"Lamp\"", "\"LAMP\""), ("get", "$.name", "\"Lamp\"", "\"LAMP\""), ("list", "$.items[0].name", "\"Lamp\"", "\"LAMP\"")],
            result.Differences.Select(d => (d.Step, d.Difference.Field.ToString(), d.Difference.Left, d.Difference.Right)));
        Assert.Empty(result.Regressions);
    }

    [Fact]
    public async Task A_canary_500_where_stable_answered_is_a_regression()
    {
        await using var api = await FakeApi.StartAsync(new FakeCanary { FailsLists = true });

        var result = await CheckAsync(api.Url);

        Assert.Equal(Verdict.Regression, result.Verdict);
        Assert.Equal(
            [(Regression.ServerError, "list", "stable answered 200, the canary 500"), (Regression.ServerError, "list", "25 of 25 repeats: the canary failed (500) where stable answered")],
            result.Regressions.Select(r => (r.Kind, r.Step, r.Detail)));
    }

    [Fact]
    public async Task A_canary_served_by_stable_everywhere_was_not_routed_and_could_not_run()
    {
        await using var api = await FakeApi.StartAsync(new FakeCanary { Track = "stable" });

        var result = await CheckAsync(api.Url);

        Assert.Equal(Verdict.CouldNotRun, result.Verdict);
        Assert.StartsWith("not routed: no canary response came from PR 42's code", result.CouldNotRunReason, StringComparison.Ordinal);
        Assert.Empty(result.Route!.ServedByPr);
    }

    [Fact]
    public async Task An_unreachable_url_could_not_run()
    {
        int port;
        await using (var api = await FakeApi.StartAsync(new FakeCanary()))
        {
            port = api.Url.Port;
        }

        var result = await CheckAsync(new Uri($"http://127.0.0.1:{port}"));

        Assert.Equal(Verdict.CouldNotRun, result.Verdict);
        Assert.StartsWith($"stable-a got no answer to step 'create' from http://127.0.0.1:{port}/", result.CouldNotRunReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_value_the_canary_did_not_answer_leaves_the_steps_that_need_it_unsent_and_reported()
    {
        await using var api = await FakeApi.StartAsync(new FakeCanary { ForgetsIds = true });

        var result = await CheckAsync(api.Url);

        Assert.Equal(Verdict.Differs, result.Verdict);
        Assert.Equal(
            [("create", "$.id", "(absent)"), ("get", "status", "not sent (needs ${id}: the canary's answer to 'create' (201) has no $.id)")],
            result.Differences.Select(d => (d.Step, d.Difference.Field.ToString(), d.Difference.Right)));
        Assert.DoesNotContain(result.Latency, summary => summary.Step == "get");
    }

    [Fact]
    public async Task A_scenario_that_captures_what_stable_does_not_answer_could_not_run()
    {
        File.WriteAllText(_scenario, "steps:\n  - {name: list, path: /things, capture: {id: '$.items[0].id'}}\n  - {name: get, path: '/things/${id}'}");
        await using var api = await FakeApi.StartAsync(new FakeCanary());

        var result = await CheckAsync(api.Url);

        Assert.Equal(Verdict.CouldNotRun, result.Verdict);
        Assert.Equal("step 'list': stable-a's answer (200) has no $.items[0].id to capture as ${id}; the scenario does not fit this api", result.CouldNotRunReason);
    }

    [Fact]
    public async Task A_token_command_gives_each_run_a_token_of_its_own_tenant()
    {
        await using var api = await FakeApi.StartAsync(new FakeCanary());

        var result = await CheckAsync(api.Url, tokenCommand: "printf 'token-%s' \"$CANARY_CHECK_TENANT\"");

        Assert.Equal(Verdict.Same, result.Verdict);
        Assert.All(api.Requests, request => Assert.Equal($"Bearer token-{request.Tenant}", request.Authorization));
    }

    [Fact]
    public async Task A_failing_token_command_could_not_run()
    {
        await using var api = await FakeApi.StartAsync(new FakeCanary());

        var result = await CheckAsync(api.Url, tokenCommand: "echo 'no key for this tenant' >&2; exit 3");

        Assert.Equal(Verdict.CouldNotRun, result.Verdict);
        Assert.Matches("^--token-command exited with 3 for tenant [0-9]+: no key for this tenant$", result.CouldNotRunReason);
        Assert.Empty(api.Requests);
    }

    private Task<CheckResult> CheckAsync(Uri url, string? tokenCommand = null) =>
        new CanaryChecker(
            new CheckOptions("42", url, _scenario, "test scenario", null, [], tokenCommand, new LatencyThresholds(20, 1.25, 5), TimeSpan.FromSeconds(10)),
            TextWriter.Null).RunAsync(CancellationToken.None);
}
