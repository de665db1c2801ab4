using CanaryDemo.StoreService.Data;
using CanaryDemo.StoreService.Items;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace CanaryDemo.StoreService.Grpc;

/// <summary>
/// The gRPC boundary of the store: maps what escapes a handler to a status. The domain's
/// rejections get theirs (<see cref="StoreErrors.From"/>); DynamoDB unreachable, throttled or too
/// slow becomes Unavailable; anything unexpected becomes Internal with a generic message (details
/// only in the log).
/// </summary>
internal sealed partial class StoreExceptionInterceptor(ILogger<StoreExceptionInterceptor> logger) : Interceptor
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
        catch (Exception exception) when (exception is OperationCanceledException || DynamoFailures.IsUnavailable(exception))
        {
            // Our own per-operation timeout, or DynamoDB failed to answer.
            LogUnavailable(logger, exception.GetType().Name, exception.Message);
            throw StoreErrors.StoreUnavailable();
        }
        catch (Exception exception)
        {
            LogUnexpected(logger, exception);
            throw StoreErrors.Internal();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "DynamoDB unavailable ({error_type:l}): {error_message:l}")]
    private static partial void LogUnavailable(ILogger logger, string error_type, string error_message);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected failure while serving a store call")]
    private static partial void LogUnexpected(ILogger logger, Exception exception);
}
