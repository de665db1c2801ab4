using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;

namespace CanaryDemo.ApiService.Store;

/// <summary>
/// Gives every unary store call the configured deadline unless the caller set a tighter one, so
/// no request can wait on the store forever. The deadline travels as <c>grpc-timeout</c>.
/// </summary>
internal sealed class DeadlineInterceptor(IOptions<StoreServiceOptions> options) : Interceptor
{
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, WithDeadline(context));

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, BlockingUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, WithDeadline(context));

    private ClientInterceptorContext<TRequest, TResponse> WithDeadline<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context)
        where TRequest : class
        where TResponse : class
    {
        var deadline = DateTime.UtcNow + options.Value.Timeout;
        if (context.Options.Deadline is { } existing && existing <= deadline)
        {
            return context;
        }

        return new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithDeadline(deadline));
    }
}
