using System.Text.Json;
using System.Text.Json.Serialization;

namespace CanaryDemo.LocalProxy;

/// <summary>
/// The routing file <c>manifests-microservices/local/proxy-routes.js</c> generates from the
/// rendered manifests: for each proxy its routes, in the order the proxy tries them.
/// </summary>
/// <param name="Host">The dev cluster's API host, which the local edge stands in for.</param>
/// <param name="LocalDomain">The local name of that host's wildcard DNS: <c>&lt;label&gt;.localhost</c>.</param>
internal sealed record RoutingFile(string Host, string LocalDomain, IReadOnlyList<LocalRoute> Edge, IReadOnlyList<LocalRoute> EastWest)
{
    public static RoutingFile Read(string path) =>
        JsonSerializer.Deserialize(File.ReadAllText(path), RoutingFileJson.Default.RoutingFile)
        ?? throw new InvalidDataException($"{path} holds no routing.");

    /// <summary>
    /// The cluster host a request's host name (port excluded) stands for: a name under the local
    /// domain stands for the same labels under the dev host, as the dev host's wildcard DNS sends
    /// every such name to Traefik (<c>pr-42.localhost</c> is <c>pr-42.api.dev.example.com</c>, a
    /// PR's preview host, and a name without a route gets Traefik's 404); any other name
    /// (<c>127.0.0.1</c>, <c>localhost</c>) stands for the dev host itself.
    /// </summary>
    public string ClusterHost(string requestHost)
    {
        var suffix = $".{LocalDomain}";
        return requestHost.Length > suffix.Length && requestHost.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
            ? $"{requestHost[..^suffix.Length]}.{Host}".ToLowerInvariant()
            : Host;
    }
}

/// <param name="Name">Where it comes from, e.g. <c>apps/api-service-pr-42 route 0</c>.</param>
/// <param name="Match">What a request must meet; none: every request.</param>
/// <param name="Service">The Kubernetes Service the route names.</param>
/// <param name="Destination">The local address standing in for that Service.</param>
/// <param name="RequestHeaders">Headers set on the request, replacing what the client sent (Traefik's headers middleware, <c>customRequestHeaders</c>).</param>
internal sealed record LocalRoute(string Name, RouteMatch? Match, string Service, Uri Destination, IReadOnlyDictionary<string, string>? RequestHeaders = null);

/// <param name="Host">The cluster host the request must name (Traefik <c>Host</c>), see <see cref="RoutingFile.ClusterHost"/>.</param>
/// <param name="Method">HTTP method (Traefik <c>Method</c>).</param>
/// <param name="Path">Exact path (Traefik <c>Path</c>).</param>
/// <param name="PathPrefix">Path prefix (Traefik <c>PathPrefix</c>).</param>
/// <param name="Grpc">The RPC of a GRPCRoute match.</param>
/// <param name="Headers">Headers whose value must be one of the request's field lines of that header.</param>
/// <param name="HeaderPatterns">Headers one of whose field lines must match a regular expression (Traefik <c>HeaderRegexp</c>).</param>
internal sealed record RouteMatch(
    string? Method, string? Path, string? PathPrefix, GrpcMethod? Grpc, IReadOnlyList<HeaderMatch>? Headers, IReadOnlyList<HeaderPattern>? HeaderPatterns = null,
    string? Host = null);

internal sealed record GrpcMethod(string? Service, string? Method);

internal sealed record HeaderMatch(string Name, string Value);

internal sealed record HeaderPattern(string Name, string Pattern);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(RoutingFile))]
internal sealed partial class RoutingFileJson : JsonSerializerContext;
