using System.Diagnostics;
using CanaryDemo.ServiceDefaults;
using Grpc.Core;
using StoreApi = CanaryDemo.Store.V1.StoreService;

namespace CanaryDemo.StoreService.Grpc;

/// <summary>
/// Writes the RPC line for store calls that ended before the interceptors ran: grpc-dotnet reads
/// and checks the request message first, so a message above the size limit (RESOURCE_EXHAUSTED) or
/// one that cannot be parsed (INVALID_ARGUMENT, <see cref="RequestParsing"/>) never reaches
/// <see cref="RpcLoggingInterceptor"/>. Such a line has no tenant, which is in the unread message.
/// </summary>
internal sealed class RpcRejectionLogging(RequestDelegate next, ILogger<RpcLoggingInterceptor> logger)
{
    private const string MessageHeader = "grpc-message";
    private static readonly PathString StorePath = "/" + StoreApi.Descriptor.FullName;

    public async Task InvokeAsync(HttpContext context, RpcDiagnostics diagnostics)
    {
        if (!context.Request.Path.StartsWithSegments(StorePath))
        {
            await next(context);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        await next(context);
        if (diagnostics.Logged || GrpcResponseStatus.Read(context) is not { } code)
        {
            return;
        }

        var detail = context.Response.Headers[MessageHeader].ToString();
        using (logger.BeginScope(new Dictionary<string, object> { ["grpc_detail"] = Uri.UnescapeDataString(detail) }))
        {
            RpcLog.Served(logger, context.Request.Path.Value!, (StatusCode)code, RpcLog.ElapsedMilliseconds(started));
        }
    }
}
