using System.Diagnostics;
using CanaryDemo.Store.V1;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace CanaryDemo.StoreService.Grpc;

/// <summary>
/// Writes one log line per served store RPC (method, status, duration, and for lists the items
/// DynamoDB read) and scopes every event of the call with its <c>tenant</c>. It runs inside the
/// canary interceptor, so the line carries <c>canary</c> for canary calls: the proof that
/// <c>x-canary</c> reached the store.
/// </summary>
internal sealed partial class RpcLoggingInterceptor(
    ILogger<RpcLoggingInterceptor> logger, RpcDiagnostics diagnostics) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        using var tenantScope = request is ITenantRequest tenantRequest
            ? logger.BeginScope(new Dictionary<string, object> { ["tenant"] = tenantRequest.TenantId })
            : null;
        var started = Stopwatch.GetTimestamp();
        var status = new Status(StatusCode.OK, "");
        try
        {
            return await continuation(request, context);
        }
        catch (RpcException exception)
        {
            status = exception.Status;
            throw;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            status = new Status(
                context.Deadline <= DateTime.UtcNow ? StatusCode.DeadlineExceeded : StatusCode.Cancelled, "");
            throw;
        }
        finally
        {
            var elapsedMs = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1);
            if (diagnostics.ItemsRead is { } itemsRead)
            {
                LogQueryServed(logger, context.Method, status.StatusCode, elapsedMs, itemsRead,
                    diagnostics.ReadCapacityUnits ?? 0, status.Detail);
            }
            else
            {
                LogServed(logger, context.Method, status.StatusCode, elapsedMs, status.Detail);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "gRPC {grpc_method} answered {grpc_status} in {elapsed_ms} ms {grpc_detail}")]
    private static partial void LogServed(
        ILogger logger, string grpc_method, StatusCode grpc_status, double elapsed_ms, string grpc_detail);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "gRPC {grpc_method} answered {grpc_status} in {elapsed_ms} ms, reading {items_read} items ({read_capacity_units} RCU) {grpc_detail}")]
    private static partial void LogQueryServed(
        ILogger logger, string grpc_method, StatusCode grpc_status, double elapsed_ms, int items_read,
        double read_capacity_units, string grpc_detail);
}
