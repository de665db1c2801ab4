using System.Net.Http;
using CanaryDemo.ServiceDefaults;
using CanaryDemo.Store.V1;
using Google.Rpc;
using Grpc.Core;

namespace CanaryDemo.ApiService.Store;

/// <summary>
/// What a failed store call says about its effect. grpc-dotnet reports every transport failure
/// as UNAVAILABLE, whether the connection was refused before anything was sent or lost after the
/// request went out (it maps any SocketException or IOException in the chain to UNAVAILABLE:
/// grpc/grpc-dotnet, src/Grpc.Net.Client/Internal/GrpcProtocolHelpers.cs,
/// ResolveRpcExceptionStatusCode), and keeps the cause as <see cref="Status.DebugException"/>.
/// So a call is known not to have been applied only when
/// <list type="bullet">
/// <item>the store said so itself (UNAVAILABLE with reason <see cref="StoreFailureReasons.StoreUnavailable"/>), or</item>
/// <item>no connection was made (<see cref="OutboundConnections.NeverConnected"/>), or</item>
/// <item>the store refused the stream before processing it (HTTP/2 REFUSED_STREAM, RFC 9113 section 8.7).</item>
/// </list>
/// </summary>
internal static class StoreCallFailures
{
    private const long Http2RefusedStream = 0x7;

    /// <summary>The reason the store gave for its own failure answer, if it gave one.</summary>
    public static string? StoreReason(RpcException exception) =>
        exception.GetRpcStatus()?.GetDetail<ErrorInfo>() is { Domain: StoreFailureReasons.Domain } info ? info.Reason : null;

    /// <summary>True when the call cannot have changed anything in the store.</summary>
    public static bool KnownNotApplied(RpcException exception) =>
        StoreReason(exception) == StoreFailureReasons.StoreUnavailable ||
        NeverSent(exception.Status.DebugException);

    /// <summary>
    /// True for a read worth another attempt: the store was not reached or the connection broke.
    /// Not when the store itself answered UNAVAILABLE: it has already retried DynamoDB within its
    /// budget, and retrying at two layers multiplies the attempts against a stalled database.
    /// </summary>
    public static bool IsRetryableRead(RpcException exception) =>
        exception.StatusCode == StatusCode.Unavailable && StoreReason(exception) != StoreFailureReasons.StoreUnavailable;

    private static bool NeverSent(Exception? exception)
    {
        if (OutboundConnections.NeverConnected(exception))
        {
            return true;
        }

        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is HttpProtocolException { ErrorCode: Http2RefusedStream })
            {
                return true;
            }
        }

        return false;
    }
}
