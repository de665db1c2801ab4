using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using GrpcStatusCode = Grpc.Core.StatusCode;

namespace CanaryDemo.ServiceDefaults;

/// <summary>The gRPC status a served call ended with, read from the response after grpc-dotnet wrote it.</summary>
public static class GrpcResponseStatus
{
    private const string StatusHeader = "grpc-status";

    /// <summary>
    /// The numeric status, or null for a response that is no gRPC answer. Every status counts,
    /// including those the framework sets itself (deadline exceeded, unimplemented method, a
    /// message it could not read). A call its client abandoned (<see cref="ClientAborted"/>) is
    /// CANCELLED: grpc-dotnet writes UNKNOWN for it, which the client never receives.
    /// </summary>
    public static int? Read(HttpContext context)
    {
        // Trailers normally; a call that failed before any message sends it as a header ("trailers-only").
        var status = context.Response.Headers[StatusHeader];
        if (status.Count == 0)
        {
            status = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers[StatusHeader] ?? default;
        }

        if (!int.TryParse(status, out var code))
        {
            return null;
        }

        return code == (int)GrpcStatusCode.Unknown && ClientAborted(context) ? (int)GrpcStatusCode.Cancelled : code;
    }

    /// <summary>
    /// Whether a served gRPC call ended because its client went away (<see cref="ClientAborts.IsAbort"/>):
    /// grpc-dotnet keeps the exception a call ended with as its status's debug exception.
    /// </summary>
    public static bool ClientAborted(HttpContext context) =>
        context.Features.Get<IServerCallContextFeature>()?.ServerCallContext.Status is { StatusCode: GrpcStatusCode.Unknown, DebugException: { } ended }
        && ClientAborts.IsAbort(context, ended);
}
