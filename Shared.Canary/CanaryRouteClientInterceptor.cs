using Grpc.Core;
using Grpc.Core.Interceptors;

namespace CanaryDemo.Shared.Canary;

/// <summary>
/// Appends the route each unary call answered with (its <c>x-canary-route</c> trailer, also on
/// failed calls) to the route of the request being served. Calls made outside a request (health
/// rounds, start-up) record nothing.
/// </summary>
public sealed class CanaryRouteClientInterceptor : Interceptor
{
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context,
        AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        var call = continuation(request, context);
        if (CanaryRoute.Current is not { } route)
        {
            return call;
        }

        return new AsyncUnaryCall<TResponse>(
            RecordAsync(call, route), call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
    }

    private static async Task<TResponse> RecordAsync<TResponse>(AsyncUnaryCall<TResponse> call, CanaryRoute.Recorder route)
    {
        try
        {
            var response = await call.ResponseAsync;
            route.AddFrom(call.GetTrailers());
            return response;
        }
        catch (RpcException exception)
        {
            route.AddFrom(exception.Trailers);
            throw;
        }
    }
}
