using System.Text.Json.Nodes;
using CanaryDemo.CanaryCheck.Scenarios;

namespace CanaryDemo.CanaryCheck.Tests;

public class ScenarioReaderTests
{
    [Fact]
    public void A_scenario_reads_its_steps_with_defaults()
    {
        var scenario = ScenarioReader.Parse(
            """
            headers:
              X-Tenant-ID: ${tenant}
            steps:
              - name: create
                method: post
                path: /items
                body: {name: Lamp}
                capture:
                  id: $.id
                  etag: header:ETag
              - name: get
                path: /items/${id}
                headers:
                  If-None-Match: ${etag}
              - name: get, not timed
                path: /items/${id}
                latency: false
            """,
            "test.yaml");

        Assert.Equal(["create", "get", "get, not timed"], scenario.Steps.Select(step => step.Name));
        Assert.Equal([HttpMethod.Post, HttpMethod.Get, HttpMethod.Get], scenario.Steps.Select(step => step.Method));
        Assert.Equal([false, true, false], scenario.Steps.Select(step => step.MeasuresLatency));
        Assert.Equal(["id", "etag"], scenario.Steps[0].Captures.Select(capture => capture.Variable));
        Assert.Equal(["tenant"], scenario.Headers.Single().Value!.Variables);
    }

    [Fact]
    public void Plain_scalars_that_read_as_JSON_literals_become_them_and_numbers_keep_their_exact_text()
    {
        var body = BodyOf("""
            body:
              price: 299.990
              big: 123456789012345678901234567890.5
              count: 3
              active: true
              gone: null
              quoted_number: "12.50"
              sku: CC-001
              version: 1.2.3
              tags: [a, 'true']
            """);

        Assert.Equal(
            """{"price":299.990,"big":123456789012345678901234567890.5,"count":3,"active":true,"gone":null,"quoted_number":"12.50","sku":"CC-001","version":"1.2.3","tags":["a","true"]}""",
            body!.ToJsonString());
    }

    [Theory]
    [InlineData("steps: []", "'steps' must be a list of at least one step")]
    [InlineData("stepz:\n  - {name: a, path: /}", "the scenario has no key 'stepz'")]
    [InlineData("steps:\n  - {name: a, path: /, methd: GET}", "a step has no key 'methd'")]
    [InlineData("steps:\n  - {name: a, path: /}\n  - {name: a, path: /}", "two steps are named 'a'")]
    [InlineData("steps:\n  - {name: a, path: items}", "path must start with /")]
    [InlineData("steps:\n  - {name: a, path: /, method: FETCH}", "method must be one of")]
    [InlineData("steps:\n  - {name: a, path: '/items/${id}'}", "step 'a' uses ${id}, which is neither ${tenant} nor captured by an earlier step")]
    [InlineData("steps:\n  - {name: a, path: '/items/${id}'}\n  - {name: b, path: /, capture: {id: $.id}}", "uses ${id}")]
    [InlineData("steps:\n  - {name: a, path: '/items/${id'}", "is not closed")]
    [InlineData("steps:\n  - {name: a, path: /, capture: {tenant: $.id}}", "'tenant' cannot be captured")]
    [InlineData("steps:\n  - {name: a, path: /, capture: {id: id}}", "neither a JSON path")]
    [InlineData("steps:\n  - {name: a, path: /, headers: {X-Canary: '42'}}", "X-Canary is set by the check itself")]
    [InlineData("steps:\n  - {name: a, path: /, body: {}, raw_body: x}", "either body (JSON) or raw_body")]
    [InlineData("steps:\n  - {name: a, path: /, latency: sometimes}", "latency must be true or false")]
    [InlineData("steps:\n  - {path: /}", "a step needs 'name'")]
    [InlineData("steps: [", "line 2: While parsing a node")]
    [InlineData("- a\n- b", "a scenario is one YAML document, a mapping with 'steps'")]
    public void A_scenario_that_cannot_run_as_written_is_refused_before_anything_is_sent(string yaml, string message) =>
        Assert.Contains(message, Assert.Throws<ScenarioException>(() => ScenarioReader.Parse(yaml, "test.yaml")).Message, StringComparison.Ordinal);

    [Fact]
    public void A_header_set_to_null_is_removed_for_that_step()
    {
        var scenario = ScenarioReader.Parse("headers: {X-Tenant-ID: '${tenant}'}\nsteps:\n  - {name: a, path: /, headers: {X-Tenant-ID: null}}", "test.yaml");

        Assert.Null(Assert.Single(scenario.Steps[0].Headers).Value);
    }

    [Fact]
    public void The_default_scenario_reads_and_covers_every_operation_of_the_items_api()
    {
        var scenario = ScenarioReader.Read(Path.Combine(AppContext.BaseDirectory, "default-scenario.yaml"));

        var operations = scenario.Steps.Select(step => $"{step.Method} {Operation(step)}").ToHashSet();
        Assert.Equal(
            new[] { "DELETE /api/v1/items/{id}", "GET /api/v1/items", "GET /api/v1/items/{id}", "PATCH /api/v1/items/{id}/inventory", "POST /api/v1/items", "PUT /api/v1/items/{id}" },
            operations.Order(StringComparer.Ordinal));
        foreach (var operation in operations)
        {
            var steps = scenario.Steps.Where(step => $"{step.Method} {Operation(step)}" == operation).ToList();
            Assert.Contains(steps, step => step.Name.EndsWith("(rejected)", StringComparison.Ordinal));
            Assert.Contains(steps, step => !step.Name.EndsWith("(rejected)", StringComparison.Ordinal));
        }

        Assert.All(new[] { "category=", "status=", "search=", "page_token=${page}" }, filter =>
            Assert.Contains(scenario.Steps, step => !step.Name.EndsWith("(rejected)", StringComparison.Ordinal) && RenderPath(step).Contains(filter, StringComparison.Ordinal)));
    }

    private static string RenderPath(CanaryDemo.CanaryCheck.Scenarios.ScenarioStep step)
    {
        var variables = new RunVariables(7);
        variables.Set("item", CapturedValue.OfText("ID"));
        variables.Set("page", CapturedValue.OfText("${page}"));
        step.Path.TryRender(variables, text => text, out var path, out _);
        return path;
    }

    private static string Operation(CanaryDemo.CanaryCheck.Scenarios.ScenarioStep step)
    {
        var path = RenderPath(step).Split('?')[0];
        var segments = path.Split('/');
        return segments.Length > 4 ? string.Join('/', segments.Select((segment, index) => index == 4 ? "{id}" : segment)) : path;
    }

    private static JsonNode? BodyOf(string stepBody)
    {
        var indented = string.Join('\n', stepBody.Split('\n').Select(line => "    " + line));
        var scenario = ScenarioReader.Parse($"steps:\n  - name: a\n    path: /\n{indented}", "test.yaml");
        return ((JsonBody)scenario.Steps[0].Body!).Json;
    }
}
