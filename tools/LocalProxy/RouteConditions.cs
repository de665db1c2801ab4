using System.Text.RegularExpressions;
using Microsoft.Extensions.Primitives;

namespace CanaryDemo.LocalProxy;

/// <summary>
/// Whether a request meets a route's match, as Traefik v3 and Linkerd decide it: a header
/// condition holds when one field line of that header equals the value exactly (neither splits a
/// line at commas; traefik/traefik pkg/muxer/http/matcher.go <c>header</c>, linkerd2-proxy
/// linkerd/http/route/src/http/match/header.rs); a gRPC match holds only for POST, with service
/// and method compared exactly as the first two path segments (linkerd/http/route/src/grpc/match.rs);
/// a header pattern holds when one field line matches it (Traefik's <c>HeaderRegexp</c>); a host
/// condition holds for the cluster host the request names, compared case-insensitively as
/// Traefik's <c>Host</c> does (pkg/muxer/http/matcher.go <c>host</c>).
/// </summary>
internal static class RouteConditions
{
    public static bool Matches(RouteMatch? match, HttpRequest request, string clusterHost)
    {
        if (match is null)
        {
            return true;
        }

        if (match.Host is { } host && !string.Equals(host, clusterHost, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (match.Method is { } method && request.Method != method)
        {
            return false;
        }

        var path = request.Path.Value ?? "";
        if ((match.Path is { } exact && path != exact) || (match.PathPrefix is { } prefix && !path.StartsWith(prefix, StringComparison.Ordinal)))
        {
            return false;
        }

        if (match.Grpc is { } grpc && !MatchesRpc(grpc, request.Method, path))
        {
            return false;
        }

        return (match.Headers ?? []).All(header => HasFieldLine(request.Headers[header.Name], header.Value))
            && (match.HeaderPatterns ?? []).All(header => request.Headers[header.Name].Any(line => line is not null
                && Regex.IsMatch(line, header.Pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))));
    }

    private static bool HasFieldLine(StringValues lines, string value)
    {
        foreach (var line in lines)
        {
            if (line == value)
            {
                return true;
            }
        }

        return false;
    }

    private static bool MatchesRpc(GrpcMethod rpc, string method, string path)
    {
        if (!HttpMethods.IsPost(method))
        {
            return false;
        }

        // "/<service>/<method>": a path without a method segment is no RPC at all.
        var parts = path.Split('/');
        return parts.Length >= 3 && parts[0].Length == 0
            && (rpc.Service is null || parts[1] == rpc.Service)
            && (rpc.Method is null || parts[2] == rpc.Method);
    }
}
