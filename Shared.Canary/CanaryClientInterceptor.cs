using Grpc.Core;
using Grpc.Core.Interceptors;

namespace CanaryDemo.Shared.Canary;

/// <summary>
/// Adds the ambient canary as <c>x-canary</c> metadata to every outgoing call, keeping all other
/// metadata the caller set.
/// </summary>
public sealed class CanaryClientInterceptor : Interceptor
{
    public override TResponse BlockingUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context,
        BlockingUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, WithCanary(context));

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context,
        AsyncUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, WithCanary(context));

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context,
        AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, WithCanary(context));

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context,
        AsyncClientStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(WithCanary(context));

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context,
        AsyncDuplexStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(WithCanary(context));

    private static ClientInterceptorContext<TRequest, TResponse> WithCanary<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context)
        where TRequest : class
        where TResponse : class
    {
        if (CanaryContext.Current is not { } pr)
        {
            return context;
        }

        // A copy, so the caller's Metadata instance is never changed behind its back.
        var headers = new Metadata();
        foreach (var entry in context.Options.Headers ?? [])
        {
            if (entry.Key != CanaryHeaders.MetadataKey)
            {
                headers.Add(entry);
            }
        }

        headers.Add(CanaryHeaders.MetadataKey, pr);
        return new(context.Method, context.Host, context.Options.WithHeaders(headers));
    }
}
