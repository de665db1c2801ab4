using CanaryDemo.CanaryCheck.Running;
using CanaryDemo.Shared.Canary;

namespace CanaryDemo.CanaryCheck.Analysis;

/// <summary>What the responses' <c>X-Canary-Route</c> showed: the services the PR served, and every answer that breaks the rule.</summary>
internal sealed record RouteFindings(IReadOnlyList<string> ServedByPr, IReadOnlyList<string> Problems)
{
    /// <summary>No canary response came from the PR's code at any hop.</summary>
    public bool NotRouted => ServedByPr.Count == 0;

    public bool Proven => !NotRouted && Problems.Count == 0;
}

/// <summary>
/// The proof that the canary run measured the PR and the stable runs measured stable. The hops
/// the PR changed are those where any canary response shows <c>pr-n</c>; every canary answer
/// must show <c>pr-n</c> on each of those hops it passed (a hop it never reached, such as the
/// store for a 400 the api decided alone, is absent, not stable). No canary answer at all from
/// the PR means it was not routed; a stable answer with a PR hop is not stable.
/// </summary>
internal static class RouteProof
{
    public static RouteFindings Examine(string pr, IEnumerable<(string Step, StepResponse Response)> canary, IEnumerable<(string Step, StepResponse Response)> stable)
    {
        var prTrack = CanaryTrack.OfPr(pr);
        var problems = new List<string>();
        var routes = new List<(string Step, StepResponse Response, IReadOnlyList<(string Service, string Track)> Hops)>();
        foreach (var (step, response) in canary.Where(answer => answer.Response.Answered))
        {
            var hops = Hops(response);
            if (hops.Count == 0)
            {
                problems.Add($"step '{step}': the canary's answer ({response.Outcome}) has no {CanaryRoute.HttpHeader} header, so nothing shows which code served it");
            }

            routes.Add((step, response, hops));
        }

        var served = routes.SelectMany(route => route.Hops).Where(hop => hop.Track == prTrack).Select(hop => hop.Service).Distinct().ToList();
        foreach (var (step, response, hops) in routes)
        {
            foreach (var (service, track) in hops.Where(hop => hop.Track != prTrack && (served.Contains(hop.Service) || hop.Track != CanaryTrack.Stable)))
            {
                problems.Add($"step '{step}': {service}={track} answered the canary ({response.Outcome}), not {prTrack}");
            }
        }

        foreach (var (step, response) in stable.Where(answer => answer.Response.Answered))
        {
            foreach (var (service, track) in Hops(response).Where(hop => hop.Track != CanaryTrack.Stable))
            {
                problems.Add($"step '{step}': {service}={track} answered a stable run ({response.Outcome}) without {CanaryHeaders.HttpHeader}");
            }
        }

        return new RouteFindings(served, problems.Distinct().ToList());
    }

    private static List<(string Service, string Track)> Hops(StepResponse response) =>
        CanaryRoute.Hops(response.Headers.GetValueOrDefault(CanaryRoute.HttpHeader))
            .Select(hop => hop.Split('=', 2))
            .Select(parts => (parts[0], parts[1]))
            .ToList();
}
