using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace CanaryDemo.ServiceDefaults;

/// <summary>
/// Adds <c>rpc.grpc.status_code</c> to the request metrics of gRPC calls. A failed call is still
/// HTTP 200, so without it an error rate of a gRPC service cannot be told from its request metrics.
/// </summary>
internal sealed class GrpcStatusMetricsMiddleware(RequestDelegate next)
{
    public const string StatusCodeTag = "rpc.grpc.status_code";

    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);

        if (GrpcResponseStatus.Read(context) is { } code)
        {
            context.Features.Get<IHttpMetricsTagsFeature>()?.Tags.Add(new(StatusCodeTag, code));
        }
    }
}
