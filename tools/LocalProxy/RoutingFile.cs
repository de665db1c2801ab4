using System.Text.Json;
using System.Text.Json.Serialization;

namespace CanaryDemo.LocalProxy;

/// <summary>
/// The routing file <c>manifests-microservices/local/proxy-routes.js</c> generates from the
/// rendered manifests: for each proxy its routes, in the order the proxy tries them.
/// </summary>
internal sealed record RoutingFile(string Host, IReadOnlyList<LocalRoute> Edge, IReadOnlyList<LocalRoute> EastWest)
{
    public static RoutingFile Read(string path) =>
        JsonSerializer.Deserialize(File.ReadAllText(path), RoutingFileJson.Default.RoutingFile)
        ?? throw new InvalidDataException($"{path} holds no routing.");
}

/// <param name="Name">Where it comes from, e.g. <c>apps/api-service-pr-42 route 0</c>.</param>
/// <param name="Match">What a request must meet; none: every request.</param>
/// <param name="Service">The Kubernetes Service the route names.</param>
/// <param name="Destination">The local address standing in for that Service.</param>
internal sealed record LocalRoute(string Name, RouteMatch? Match, string Service, Uri Destination);

/// <param name="Method">HTTP method (Traefik <c>Method</c>).</param>
/// <param name="Path">Exact path (Traefik <c>Path</c>).</param>
/// <param name="PathPrefix">Path prefix (Traefik <c>PathPrefix</c>).</param>
/// <param name="Grpc">The RPC of a GRPCRoute match.</param>
/// <param name="Headers">Headers whose value must be one of the request's field lines of that header.</param>
internal sealed record RouteMatch(string? Method, string? Path, string? PathPrefix, GrpcMethod? Grpc, IReadOnlyList<HeaderMatch>? Headers);

internal sealed record GrpcMethod(string? Service, string? Method);

internal sealed record HeaderMatch(string Name, string Value);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(RoutingFile))]
internal sealed partial class RoutingFileJson : JsonSerializerContext;
