using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace CanaryDemo.ServiceDefaults;

/// <summary>
/// Adds <c>rpc.grpc.status_code</c> to the request metrics of gRPC calls. A failed call is still
/// HTTP 200, so without it an error rate of a gRPC service cannot be told from its request metrics.
/// The status is read from the response after grpc-dotnet wrote it, so every status counts,
/// including those the framework sets itself (deadline exceeded, unimplemented method).
/// </summary>
internal sealed class GrpcStatusMetricsMiddleware(RequestDelegate next)
{
    public const string StatusCodeTag = "rpc.grpc.status_code";

    private const string StatusHeader = "grpc-status";

    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);

        // Trailers normally; a call that failed before any message sends it as a header ("trailers-only").
        var status = context.Response.Headers[StatusHeader];
        if (status.Count == 0)
        {
            status = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers[StatusHeader] ?? default;
        }

        if (int.TryParse(status, out var code))
        {
            context.Features.Get<IHttpMetricsTagsFeature>()?.Tags.Add(new(StatusCodeTag, code));
        }
    }
}
