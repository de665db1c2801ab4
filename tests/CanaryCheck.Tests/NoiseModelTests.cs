using CanaryDemo.CanaryCheck.Analysis;
using CanaryDemo.CanaryCheck.Running;
using static CanaryDemo.CanaryCheck.Tests.TestResponses;

namespace CanaryDemo.CanaryCheck.Tests;

public class NoiseModelTests
{
    [Fact]
    public void Fields_that_differ_between_the_two_stable_runs_are_noise_and_the_canary_may_differ_there()
    {
        var comparison = NoiseModel.Compare(
            "create",
            JsonAnswer(201, """{"id":"a1","tenant_id":1,"name":"Lamp","created_at":"2024-01-01T00:00:01Z","version":1}"""),
            JsonAnswer(201, """{"id":"b2","tenant_id":2,"name":"Lamp","created_at":"2024-01-01T00:00:07Z","version":1}"""),
            JsonAnswer(201, """{"id":"c3","tenant_id":3,"name":"Lamp","created_at":"2024-01-01T00:00:09Z","version":1}"""));

        Assert.Equal(["$.id", "$.tenant_id", "$.created_at"], comparison.Noise.Select(field => field.ToString()));
        Assert.Empty(comparison.Differences);
    }

    [Fact]
    public void A_difference_outside_the_noise_is_reported_with_stables_value_and_the_canarys()
    {
        var comparison = NoiseModel.Compare(
            "sell",
            JsonAnswer(200, """{"item":{"id":"a","inventory_count":145},"previous_count":150}"""),
            JsonAnswer(200, """{"item":{"id":"b","inventory_count":145},"previous_count":150}"""),
            JsonAnswer(200, """{"item":{"id":"c","inventory_count":145},"previous_count":151}"""));

        var difference = Assert.Single(comparison.Differences);
        Assert.Equal(("$.previous_count", "150", "151"), (difference.Field.ToString(), difference.Left, difference.Right));
    }

    [Fact]
    public void A_noisy_value_the_canary_drops_or_changes_the_kind_of_is_reported()
    {
        var comparison = NoiseModel.Compare(
            "create",
            JsonAnswer(201, """{"id":"a1","version":1,"created_at":"2024-01-01T00:00:01Z"}"""),
            JsonAnswer(201, """{"id":"b2","version":1,"created_at":"2024-01-01T00:00:07Z"}"""),
            JsonAnswer(201, """{"version":1,"created_at":1704067209}"""));

        Assert.Equal(
            [("$.id", "\"a1\"", "(absent)"), ("$.created_at", "\"2024-01-01T00:00:01Z\"", "1704067209")],
            comparison.Differences.Select(d => (d.Field.ToString(), d.Left, d.Right)));
    }

    [Fact]
    public void Everything_inside_a_noisy_field_is_noise_too()
    {
        // Stable's two runs disagree on the whole token object, so the canary's token members are not compared.
        var comparison = NoiseModel.Compare(
            "page",
            JsonAnswer(200, """{"items":[],"next":{"token":"x","pos":1}}"""),
            JsonAnswer(200, """{"items":[],"next":null}"""),
            JsonAnswer(200, """{"items":[],"next":{"token":"y","pos":2}}"""));

        Assert.Equal(["$.next"], comparison.Noise.Select(field => field.ToString()));
        Assert.Empty(comparison.Differences);
    }

    [Fact]
    public void Noise_below_a_field_does_not_hide_a_change_of_the_field_itself()
    {
        var comparison = NoiseModel.Compare(
            "get",
            JsonAnswer(200, """{"item":{"id":"a","name":"Lamp"}}"""),
            JsonAnswer(200, """{"item":{"id":"b","name":"Lamp"}}"""),
            JsonAnswer(200, """{"item":null}"""));

        Assert.Equal("$.item", Assert.Single(comparison.Differences).Field.ToString());
    }

    [Fact]
    public void Status_and_content_type_are_compared_and_a_status_that_flips_between_stable_runs_is_noise()
    {
        var differs = NoiseModel.Compare(
            "get", Answer(200, "application/json", "{}"), Answer(200, "application/json", "{}"), Answer(404, "application/problem+json", "{}"));
        Assert.Equal(
            [("status", "200", "404"), ("content-type", "application/json", "application/problem+json")],
            differs.Differences.Select(d => (d.Field.ToString(), d.Left, d.Right)));

        var flaky = NoiseModel.Compare("get", JsonAnswer(200, "{}"), JsonAnswer(503, "{}"), JsonAnswer(404, "{}"));
        Assert.Equal(["status"], flaky.Noise.Select(field => field.ToString()));
        Assert.Empty(flaky.Differences);
    }

    [Fact]
    public void Bodies_that_are_no_JSON_compare_whole_as_text()
    {
        var comparison = NoiseModel.Compare(
            "text", Answer(200, "text/plain", "ok"), Answer(200, "text/plain", "ok"), Answer(200, "text/plain", "ok!"));

        var difference = Assert.Single(comparison.Differences);
        Assert.Equal(("$", "\"ok\"", "\"ok!\""), (difference.Field.ToString(), difference.Left, difference.Right));
    }

    [Fact]
    public void A_canary_step_that_was_not_sent_differs_in_its_status_only()
    {
        var comparison = NoiseModel.Compare(
            "second page", JsonAnswer(200, "{}"), JsonAnswer(200, "{}"), StepResponse.Unsent("needs ${page}: it has no value"));

        var difference = Assert.Single(comparison.Differences);
        Assert.Equal(("status", "200", "not sent (needs ${page}: it has no value)"), (difference.Field.ToString(), difference.Left, difference.Right));
    }
}
