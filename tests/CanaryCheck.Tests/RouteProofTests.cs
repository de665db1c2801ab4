using CanaryDemo.CanaryCheck.Analysis;
using CanaryDemo.CanaryCheck.Running;
using static CanaryDemo.CanaryCheck.Tests.TestResponses;

namespace CanaryDemo.CanaryCheck.Tests;

public class RouteProofTests
{
    private const string BothStable = "api-service=stable, store-service=stable";

    [Fact]
    public void The_hops_that_show_the_PR_are_the_ones_it_served()
    {
        var findings = Examine(
            [("create", "api-service=pr-42, store-service=pr-42"), ("bad input", "api-service=pr-42")],
            [("create", BothStable), ("bad input", "api-service=stable")]);

        Assert.Equal(["api-service", "store-service"], findings.ServedByPr);
        Assert.True(findings.Proven);
    }

    [Fact]
    public void A_PR_that_changed_only_the_api_may_show_stable_for_the_store() =>
        Assert.True(Examine([("get", "api-service=pr-42, store-service=stable")], [("get", BothStable)]) is { Proven: true, ServedByPr: ["api-service"] });

    [Fact]
    public void A_PR_that_changed_only_the_store_may_answer_stable_where_the_store_is_never_reached()
    {
        var findings = Examine([("get", "api-service=stable, store-service=pr-42"), ("bad input", "api-service=stable")], [("get", BothStable)]);

        Assert.True(findings.Proven);
        Assert.Equal(["store-service"], findings.ServedByPr);
    }

    [Fact]
    public void Stable_everywhere_for_every_canary_answer_is_not_routed()
    {
        var findings = Examine([("get", BothStable), ("list", BothStable)], [("get", BothStable)]);

        Assert.True(findings.NotRouted);
        Assert.False(findings.Proven);
        Assert.Empty(findings.ServedByPr);
    }

    [Fact]
    public void A_canary_answer_from_stable_on_a_hop_the_PR_serves_elsewhere_is_misrouted()
    {
        var findings = Examine([("create", "api-service=pr-42, store-service=pr-42"), ("list", "api-service=stable, store-service=stable")], []);

        Assert.False(findings.Proven);
        Assert.Equal(
            ["step 'list': api-service=stable answered the canary (200), not pr-42", "step 'list': store-service=stable answered the canary (200), not pr-42"],
            findings.Problems);
    }

    [Fact]
    public void Another_PRs_code_never_answers_the_canary_or_stable()
    {
        var findings = Examine([("get", "api-service=pr-42, store-service=pr-7")], [("get", "api-service=stable, store-service=pr-7")]);

        Assert.Equal(
            ["step 'get': store-service=pr-7 answered the canary (200), not pr-42", "step 'get': store-service=pr-7 answered a stable run (200) without X-Canary"],
            findings.Problems);
    }

    [Fact]
    public void A_canary_answer_without_a_route_header_proves_nothing()
    {
        // e.g. the PR gate refusing the runner's address: Traefik's 404, no route header.
        var findings = RouteProof.Examine(
            "42",
            [("get", Answer(404, "text/plain", "404 page not found")), ("list", JsonAnswer(200, "[]", "api-service=pr-42"))],
            []);

        Assert.Equal(["step 'get': the canary's answer (404) has no X-Canary-Route header, so nothing shows which code served it"], findings.Problems);
    }

    [Fact]
    public void Answers_that_never_came_are_not_judged() =>
        Assert.True(RouteProof.Examine(
            "42",
            [("get", JsonAnswer(200, "{}", "api-service=pr-42")), ("next", StepResponse.Unsent("needs ${page}")), ("down", StepResponse.NoAnswer("refused", TimeSpan.Zero))],
            []).Proven);

    private static RouteFindings Examine((string Step, string Route)[] canary, (string Step, string Route)[] stable) =>
        RouteProof.Examine("42", canary.Select(c => (c.Step, JsonAnswer(200, "{}", c.Route))), stable.Select(s => (s.Step, JsonAnswer(200, "{}", s.Route))));
}
