using System.Runtime.CompilerServices;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;
using StoreApi = CanaryDemo.Store.V1.StoreService;

namespace CanaryDemo.ApiService.Store;

/// <summary>
/// Bounds every store call: a deadline of <see cref="StoreServiceOptions.Timeout"/> for the call
/// (unless the caller set a nearer one), and one of <see cref="StoreServiceOptions.AttemptTimeout"/>
/// for each attempt; both travel as <c>grpc-timeout</c>. GetItem and ListItems are retried (at
/// most 3 attempts, backoff from 100 ms) when the store could not be reached or an attempt ran
/// out, and only while the call's deadline still holds a whole attempt, so a retry never starts
/// what it cannot finish. Writes get one attempt: one that reached the store may have been applied.
/// </summary>
internal sealed class StoreCallInterceptor(IOptions<StoreServiceOptions> options) : Interceptor
{
    private const int MaxAttempts = 3;
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(1);

    private static readonly HashSet<string> RetriedReads =
    [
        $"/{StoreApi.Descriptor.FullName}/GetItem",
        $"/{StoreApi.Descriptor.FullName}/ListItems",
    ];

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        var deadline = CallDeadline(context.Options.Deadline);
        return RetriedReads.Contains(context.Method.FullName)
            ? WithRetries(request, context, continuation, deadline)
            : continuation(request, Attempt(context, deadline));
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, BlockingUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, Attempt(context, CallDeadline(context.Options.Deadline)));

    private DateTime CallDeadline(DateTime? requested)
    {
        var deadline = DateTime.UtcNow + options.Value.Timeout;
        return requested is { } existing && existing < deadline ? existing : deadline;
    }

    private ClientInterceptorContext<TRequest, TResponse> Attempt<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, DateTime callDeadline)
        where TRequest : class
        where TResponse : class
    {
        var attemptDeadline = DateTime.UtcNow + options.Value.AttemptTimeout;
        var deadline = attemptDeadline < callDeadline ? attemptDeadline : callDeadline;
        return new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithDeadline(deadline));
    }

    private AsyncUnaryCall<TResponse> WithRetries<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context,
        AsyncUnaryCallContinuation<TRequest, TResponse> continuation, DateTime callDeadline)
        where TRequest : class
        where TResponse : class
    {
        // The call as the caller sees it is always the latest attempt.
        var current = new StrongBox<AsyncUnaryCall<TResponse>>(continuation(request, Attempt(context, callDeadline)));
        var response = RunAsync();
        return new AsyncUnaryCall<TResponse>(
            response, HeadersAsync(), () => current.Value!.GetStatus(), () => current.Value!.GetTrailers(), () => current.Value!.Dispose());

        async Task<TResponse> RunAsync()
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await current.Value!.ResponseAsync;
                }
                catch (RpcException exception) when (RetryDelay(exception, attempt, callDeadline) is { } backoff)
                {
                    await Task.Delay(backoff, context.Options.CancellationToken);
                    current.Value!.Dispose();
                    current.Value = continuation(request, Attempt(context, callDeadline));
                }
            }
        }

        async Task<Metadata> HeadersAsync()
        {
            await ((Task)response).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return await current.Value!.ResponseHeadersAsync;
        }
    }

    /// <summary>How long to wait before the next attempt, or null when there is none to make.</summary>
    private TimeSpan? RetryDelay(RpcException exception, int attempt, DateTime callDeadline)
    {
        var now = DateTime.UtcNow;
        // An attempt that ran out before the call did: the store hung or answered too late.
        var attemptTimedOut = exception.StatusCode == StatusCode.DeadlineExceeded && now < callDeadline;
        if (attempt >= MaxAttempts || !(StoreCallFailures.IsRetryableRead(exception) || attemptTimedOut))
        {
            return null;
        }

        var backoff = FirstBackoff * (1 << (attempt - 1));
        if (backoff > MaxBackoff)
        {
            backoff = MaxBackoff;
        }

        return callDeadline - now - backoff >= options.Value.AttemptTimeout ? backoff : null;
    }
}
