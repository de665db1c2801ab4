using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace CanaryDemo.ServiceDefaults;

/// <summary>
/// Adds <c>rpc.grpc.status_code</c> to the request metrics of gRPC calls. A failed call is still
/// HTTP 200, so without it an error rate of a gRPC service cannot be told from its request metrics.
/// Calls the client abandoned are CANCELLED and counted by <see cref="ClientAborts"/>.
/// </summary>
internal sealed class GrpcStatusMetricsMiddleware(RequestDelegate next, ClientAborts clientAborts)
{
    public const string StatusCodeTag = "rpc.grpc.status_code";

    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);

        if (GrpcResponseStatus.Read(context) is not { } code)
        {
            return;
        }

        context.Features.Get<IHttpMetricsTagsFeature>()?.Tags.Add(new(StatusCodeTag, code));
        // Read reports such a call as CANCELLED; a deadline that passed keeps DEADLINE_EXCEEDED.
        if (code == (int)Grpc.Core.StatusCode.Cancelled && GrpcResponseStatus.ClientAborted(context))
        {
            clientAborts.Count();
        }
    }
}
