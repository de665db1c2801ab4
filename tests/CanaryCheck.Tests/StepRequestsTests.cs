using CanaryDemo.CanaryCheck.Running;
using CanaryDemo.CanaryCheck.Scenarios;

namespace CanaryDemo.CanaryCheck.Tests;

public class StepRequestsTests
{
    private static readonly Uri Url = new("http://127.0.0.1:8080/");

    [Fact]
    public void Placeholders_are_filled_from_the_runs_values_and_escaped_in_the_path()
    {
        var (scenario, variables) = Scenario("""
            headers: {X-Tenant-ID: '${tenant}', X-User-ID: checker}
            steps:
              - {name: first, path: /, capture: {token: $.token, id: $.id}}
              - {name: next, path: '/items/${id}?page_token=${token}', headers: {X-Page: 'token ${token}'}}
            """);
        variables.Set("token", CapturedValue.OfText("a+b/c="));
        variables.Set("id", CapturedValue.OfText("7"));

        using var request = Build(scenario, scenario.Steps[1], Stable(), variables);

        Assert.Equal("http://127.0.0.1:8080/items/7?page_token=a%2Bb%2Fc%3D", request.RequestUri!.ToString());
        Assert.Equal(["42"], request.Headers.GetValues("X-Tenant-ID"));
        Assert.Equal(["token a+b/c="], request.Headers.GetValues("X-Page"));
    }

    [Fact]
    public void The_steps_headers_win_over_the_runs_which_win_over_the_scenarios_and_null_removes_one()
    {
        var (scenario, variables) = Scenario("""
            headers: {X-Tenant-ID: '${tenant}', X-User-ID: checker, X-Api-Key: from-scenario}
            steps:
              - {name: a, path: /, headers: {X-User-ID: step-user, X-Tenant-ID: null}}
            """);
        var target = new RunTarget(RunTarget.StableA, null, 42, [KeyValuePair.Create("X-Api-Key", "from-run"), KeyValuePair.Create("X-User-ID", "run-user")]);

        using var request = Build(scenario, scenario.Steps[0], target, variables);

        Assert.False(request.Headers.Contains("X-Tenant-ID"));
        Assert.Equal(["step-user"], request.Headers.GetValues("X-User-ID"));
        Assert.Equal(["from-run"], request.Headers.GetValues("X-Api-Key"));
    }

    [Fact]
    public void X_Canary_goes_with_the_canary_run_only()
    {
        var (scenario, variables) = Scenario("steps:\n  - {name: a, path: /}");

        using var stable = Build(scenario, scenario.Steps[0], Stable(), variables);
        using var canary = Build(scenario, scenario.Steps[0], new RunTarget(RunTarget.CanaryRun, "42", 43, []), variables);

        Assert.False(stable.Headers.Contains("X-Canary"));
        Assert.Equal(["42"], canary.Headers.GetValues("X-Canary"));
    }

    [Fact]
    public async Task A_JSON_body_string_that_is_one_placeholder_takes_the_captured_JSON_value_itself()
    {
        var (scenario, variables) = Scenario("""
            steps:
              - {name: a, path: /, capture: {count: $.count, item: $.item}}
              - name: b
                method: POST
                path: /
                body: {count: '${count}', label: 'n=${count}', item: '${item}', tenant: '${tenant}', price: 1.50}
            """);
        variables.Set("count", new CapturedValue("150", "150"));
        variables.Set("item", new CapturedValue("{\"id\":\"x\"}", "{\"id\":\"x\"}"));

        using var request = Build(scenario, scenario.Steps[1], Stable(), variables);

        Assert.Equal("""{"count":150,"label":"n=150","item":{"id":"x"},"tenant":42,"price":1.50}""", await request.Content!.ReadAsStringAsync());
        Assert.Equal("application/json", request.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task A_raw_body_is_sent_as_written_with_the_content_type_the_step_names()
    {
        var (scenario, variables) = Scenario("""
            steps:
              - {name: a, method: POST, path: /, raw_body: '{"name": ', headers: {Content-Type: text/plain}}
            """);

        using var request = Build(scenario, scenario.Steps[0], Stable(), variables);

        Assert.Equal("{\"name\": ", await request.Content!.ReadAsStringAsync());
        Assert.Equal("text/plain", request.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public void A_step_whose_value_was_not_captured_is_not_built_and_says_which()
    {
        var (scenario, variables) = Scenario("steps:\n  - {name: a, path: /, capture: {id: $.id}}\n  - {name: b, path: '/items/${id}'}");

        Assert.False(StepRequests.TryBuild(Url, scenario, scenario.Steps[1], Stable(), variables, out var request, out var missing));
        Assert.Null(request);
        Assert.Equal("id", missing);
    }

    private static RunTarget Stable() => new(RunTarget.StableA, null, 42, []);

    private static (Scenario, RunVariables) Scenario(string yaml) => (ScenarioReader.Parse(yaml, "test.yaml"), new RunVariables(42));

    private static HttpRequestMessage Build(Scenario scenario, ScenarioStep step, RunTarget target, RunVariables variables)
    {
        Assert.True(StepRequests.TryBuild(Url, scenario, step, target, variables, out var request, out var missing), $"missing {missing}");
        return request!;
    }
}
