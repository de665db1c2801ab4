using CanaryDemo.Shared.Canary;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CanaryDemo.ApiService.OpenApi;

/// <summary>
/// The headers of every operation that middleware reads or writes, which parameter binding and
/// result types cannot show: the canary headers (X-Canary, X-Canary-Echo, X-Canary-Route)
/// everywhere, the caller headers on /api/v1, and the response headers endpoints declare with
/// <see cref="ResponseHeaderExtensions.WithResponseHeader"/>.
/// </summary>
internal static class HeaderDocumentation
{
    private const string CanaryDescription =
        "Optional. A pull request number (ASCII digits, no leading zero, at most 9 digits): the request is served by " +
        "that PR's canary where it runs one, by stable otherwise. Any other value is ignored, never an error.";

    private const string EchoDescription = "The valid X-Canary value of the request, repeated; absent when it had none.";

    private const string RouteDescription =
        "Present only where the deployment turns it on (Canary:RouteHeader: the integration environment and its PR " +
        "canaries, never production). The copies that served the request: its hops in call order, separated by `, `, " +
        "each `<service>=<track>` with track `stable` or `pr-<n>`. The api's own hop comes first, then the hops each store " +
        "call answered with, e.g. `api-service=pr-42, store-service=stable`. A call that never answered adds no hop, so an " +
        "unreachable store leaves only the api's; /health calls nothing and names only the api.";

    /// <summary>A whole route: one hop, then more after the separator (ECMA-262, as OpenAPI patterns are).</summary>
    private const string RoutePattern = "^" + CanaryRoute.HopPattern + "(" + CanaryRoute.Separator + CanaryRoute.HopPattern + ")*$";

    public static Task Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        operation.Parameters ??= [];
        operation.Parameters.Add(OpenApiHeaders.Parameter(CanaryHeaders.HttpHeader, required: false, CanaryDescription, pattern: "^[1-9][0-9]{0,8}$"));
        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (response is not OpenApiResponse concrete)
            {
                continue;
            }

            var headers = concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
            headers[CanaryHeaders.EchoHeader] = OpenApiHeaders.Response(EchoDescription);
            headers[CanaryRoute.HttpHeader] = OpenApiHeaders.Response(RouteDescription, RoutePattern);
            foreach (var header in metadata.OfType<ResponseHeaderMetadata>().Where(header => header.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture) == status))
            {
                headers[header.Name] = OpenApiHeaders.Response(header.Description);
            }
        }

        return Task.CompletedTask;
    }
}
