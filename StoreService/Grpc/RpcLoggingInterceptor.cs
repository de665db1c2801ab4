using System.Diagnostics;
using CanaryDemo.Store.V1;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace CanaryDemo.StoreService.Grpc;

/// <summary>
/// Writes one log line per served store RPC (method, status, duration, and for lists the items
/// DynamoDB read) and scopes every event of the call with its <c>tenant</c>. It runs inside the
/// canary interceptor, so the line carries <c>canary</c> for canary calls: the proof that
/// <c>x-canary</c> reached the store. Calls refused before any interceptor runs (a message too
/// large or unreadable) get the same line from <see cref="RpcRejectionLogging"/>.
/// </summary>
internal sealed class RpcLoggingInterceptor(
    ILogger<RpcLoggingInterceptor> logger, RpcDiagnostics diagnostics) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        using var tenantScope = request is ITenantRequest tenantRequest
            ? logger.BeginScope(new Dictionary<string, object> { ["tenant"] = tenantRequest.TenantId })
            : null;
        var started = Stopwatch.GetTimestamp();
        var status = new Status(StatusCode.Unknown, "");
        try
        {
            var response = await continuation(request, context);
            status = Status.DefaultSuccess;
            return response;
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
            // Figures that only some calls have travel as scope properties of the same line.
            var extras = new Dictionary<string, object>();
            if (status.StatusCode != StatusCode.OK)
            {
                extras["grpc_detail"] = status.Detail;
            }

            if (diagnostics.ItemsRead is { } itemsRead)
            {
                extras["items_read"] = itemsRead;
                extras["read_capacity_units"] = diagnostics.ReadCapacityUnits ?? 0;
            }

            using (logger.BeginScope(extras))
            {
                RpcLog.Served(logger, context.Method, status.StatusCode, RpcLog.ElapsedMilliseconds(started));
            }

            diagnostics.Logged = true;
        }
    }
}
