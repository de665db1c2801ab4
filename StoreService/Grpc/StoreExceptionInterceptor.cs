using CanaryDemo.ServiceDefaults;
using CanaryDemo.StoreService.Data;
using CanaryDemo.StoreService.Items;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace CanaryDemo.StoreService.Grpc;

/// <summary>
/// The gRPC boundary of the store: maps what escapes a handler to a status. The domain's
/// rejections get theirs (<see cref="StoreErrors.From(ItemRejection)"/>); DynamoDB failures get
/// UNAVAILABLE or, for a write that may have been applied, DEADLINE_EXCEEDED
/// (<see cref="StoreErrors.From(StoreFailure)"/>); anything unexpected becomes Internal with a
/// generic message (details only in the log). DynamoDB failures are expected during an outage and
/// hit every call, so they are logged at a readable rate (<see cref="LogThrottle"/>); each call
/// still has its RPC line.
/// </summary>
internal sealed partial class StoreExceptionInterceptor(ILogger<StoreExceptionInterceptor> logger, LogThrottle throttle) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (ItemRejection rejection)
        {
            throw StoreErrors.From(rejection);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw; // the caller went away or its deadline passed; gRPC reports that itself
        }
        catch (StoreFailure failure)
        {
            var kind = failure.GetType().Name;
            if (throttle.ShouldLog(kind, out var suppressed))
            {
                LogStoreFailure(logger, kind, failure.Message, suppressed);
            }

            throw StoreErrors.From(failure);
        }
        catch (Exception exception)
        {
            LogUnexpected(logger, exception);
            throw StoreErrors.Internal();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{store_failure:l}: {error_message:l} ({suppressed_since_last} more since the last such line)")]
    private static partial void LogStoreFailure(ILogger logger, string store_failure, string error_message, long suppressed_since_last);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected failure while serving a store call")]
    private static partial void LogUnexpected(ILogger logger, Exception exception);
}
