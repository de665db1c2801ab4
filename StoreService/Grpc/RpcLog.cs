using System.Diagnostics;
using Grpc.Core;

namespace CanaryDemo.StoreService.Grpc;

/// <summary>The one line every store RPC writes when it ends (docs/store-service.md, "Logs").</summary>
internal static partial class RpcLog
{
    public static double ElapsedMilliseconds(long started) => Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1);

    [LoggerMessage(Level = LogLevel.Information, Message = "gRPC {grpc_method:l} answered {grpc_status} in {elapsed_ms} ms")]
    public static partial void Served(ILogger logger, string grpc_method, StatusCode grpc_status, double elapsed_ms);
}
