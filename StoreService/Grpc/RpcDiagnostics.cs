namespace CanaryDemo.StoreService.Grpc;

/// <summary>Per-call figures that the handler reports and the RPC log line carries (scoped per call).</summary>
internal sealed class RpcDiagnostics
{
    /// <summary>Items DynamoDB read to answer the call (its ScannedCount), when the call queried.</summary>
    public int? ItemsRead { get; set; }

    /// <summary>Read capacity units DynamoDB reported for the call.</summary>
    public double? ReadCapacityUnits { get; set; }

    /// <summary>Whether the call's RPC line was written (by the interceptor, which not every call reaches).</summary>
    public bool Logged { get; set; }
}
