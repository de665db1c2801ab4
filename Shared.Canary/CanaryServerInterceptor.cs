using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Http;

namespace CanaryDemo.Shared.Canary;

/// <summary>
/// Makes a valid incoming <c>x-canary</c> metadata value the ambient canary for the call, labels
/// its request metrics, and answers every call, failed ones included, with this service's hop as
/// the trailer <c>x-canary-route</c> (a call that fails before any message sends it in its
/// trailers-only response).
/// </summary>
public sealed class CanaryServerInterceptor(TrackIdentity track, CanaryMetrics metrics) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        using var scope = EnterFrom(context);
        return await continuation(request, context);
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var scope = EnterFrom(context);
        return await continuation(requestStream, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var scope = EnterFrom(context);
        await continuation(request, responseStream, context);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var scope = EnterFrom(context);
        await continuation(requestStream, responseStream, context);
    }

    private IDisposable? EnterFrom(ServerCallContext context)
    {
        // Added first, so that it is there however the call ends (grpc-dotnet keeps the trailers
        // set so far when a handler throws, and writes them when the deadline passes).
        context.ResponseTrailers.Add(CanaryRoute.MetadataKey, track.Hop);
        var entries = context.RequestHeaders.Where(e => e.Key == CanaryHeaders.MetadataKey).ToList();
        CanaryValue.TryParse(entries.Count == 1 ? entries[0].Value : null, out var pr);
        if (context.GetHttpContext() is { } httpContext)
        {
            metrics.RecordRequest(httpContext.Features, pr);
        }

        return pr is null ? null : CanaryContext.Enter(pr);
    }
}
