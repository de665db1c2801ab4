using System.Text.Json;
using CanaryDemo.ServiceDefaults;
using Grpc.Core;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace CanaryDemo.ApiService.Problems;

/// <summary>
/// Turns every exception that escapes an endpoint into problem details: bad bodies (thrown by
/// Minimal API binding, see <c>ThrowOnBadRequest</c>) become 400/415, store failures follow
/// <see cref="StoreProblems"/>, anything else is a generic 500. Exception texts are logged,
/// never returned. Store failures (503, 504) are expected while the store or DynamoDB is out and
/// hit every request, so they are logged at a readable rate (<see cref="LogThrottle"/>).
/// </summary>
internal sealed partial class ApiExceptionHandler(
    IProblemDetailsService problemDetails, ILogger<ApiExceptionHandler> logger, LogThrottle throttle, ClientAborts clientAborts) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (ClientAborts.IsAbort(httpContext, exception))
        {
            // The client is gone (it closed the connection): nobody to answer, and no server error.
            // 499 is ASP.NET Core's own status for it (ExceptionHandlerMiddleware does the same for a cancelled request).
            clientAborts.Count();
            LogClientAborted(logger, exception.GetType().Name);
            httpContext.Response.StatusCode = StatusCodes.Status499ClientClosedRequest;
            return true;
        }

        var problem = exception switch
        {
            BadHttpRequestException badRequest => FromBadRequest(badRequest),
            RpcException rpc => StoreProblems.From(rpc, httpContext.Request),
            _ => ApiProblems.Internal(),
        };
        Log(exception, problem);
        await problemDetails.WriteAsync(httpContext, problem);
        return true;
    }

    private static ProblemDetails FromBadRequest(BadHttpRequestException exception)
    {
        if (exception.InnerException is JsonException json)
        {
            return ApiProblems.MalformedJson(FieldOf(json.Path), "is not valid JSON, has the wrong type or an unknown value");
        }

        return exception.StatusCode switch
        {
            StatusCodes.Status400BadRequest => ApiProblems.MalformedJson(null, "A JSON request body is required."),
            _ => ApiProblems.ForEmptyResponse(exception.StatusCode),
        };
    }

    /// <summary>"$.tags[1]" → "tags[1]"; the root or an unknown position has no field.</summary>
    private static string? FieldOf(string? jsonPath) =>
        jsonPath is { Length: > 2 } && jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : null;

    private void Log(Exception exception, ProblemDetails problem)
    {
        switch (exception)
        {
            case BadHttpRequestException:
                LogBadRequest(logger, problem.Type);
                break;
            case RpcException rpc when problem.Status < StatusCodes.Status500InternalServerError:
                LogStoreRejected(logger, rpc.StatusCode, problem.Status);
                break;
            case RpcException rpc when problem.Status == StatusCodes.Status500InternalServerError:
                LogStoreFailed(logger, rpc.StatusCode, rpc.Status.Detail, problem.Status, 0);
                break;
            case RpcException rpc:
                if (throttle.ShouldLog(problem.Type!, out var suppressed))
                {
                    LogStoreFailed(logger, rpc.StatusCode, rpc.Status.Detail, problem.Status, suppressed);
                }

                break;
            default:
                LogUnhandled(logger, exception);
                break;
        }
    }

    [LoggerMessage(LogLevel.Debug, "The client went away before the answer ({ExceptionType})")]
    private static partial void LogClientAborted(ILogger logger, string exceptionType);

    [LoggerMessage(LogLevel.Debug, "Rejected request body: {ProblemType}")]
    private static partial void LogBadRequest(ILogger logger, string? problemType);

    [LoggerMessage(LogLevel.Information, "Store rejected the call with {GrpcStatus}; answering {HttpStatus}")]
    private static partial void LogStoreRejected(ILogger logger, StatusCode grpcStatus, int? httpStatus);

    [LoggerMessage(LogLevel.Warning, "Store call failed with {GrpcStatus} ({GrpcDetail}); answering {HttpStatus} ({SuppressedSinceLast} more since the last such line)")]
    private static partial void LogStoreFailed(ILogger logger, StatusCode grpcStatus, string grpcDetail, int? httpStatus, long suppressedSinceLast);

    [LoggerMessage(LogLevel.Error, "Unhandled exception; answering 500")]
    private static partial void LogUnhandled(ILogger logger, Exception exception);
}
