using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace CanaryDemo.ServiceDefaults;

/// <summary>The gRPC status a served call ended with, read from the response after grpc-dotnet wrote it.</summary>
public static class GrpcResponseStatus
{
    private const string StatusHeader = "grpc-status";

    /// <summary>
    /// The numeric status, or null for a response that is no gRPC answer. Every status counts,
    /// including those the framework sets itself (deadline exceeded, unimplemented method, a
    /// message it could not read).
    /// </summary>
    public static int? Read(HttpContext context)
    {
        // Trailers normally; a call that failed before any message sends it as a header ("trailers-only").
        var status = context.Response.Headers[StatusHeader];
        if (status.Count == 0)
        {
            status = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers[StatusHeader] ?? default;
        }

        return int.TryParse(status, out var code) ? code : null;
    }
}
