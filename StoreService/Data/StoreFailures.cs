namespace CanaryDemo.StoreService.Data;

/// <summary>
/// DynamoDB could not serve a call, and what is known about its effect. The data layer raises
/// these; only the gRPC boundary (Grpc/StoreErrors) decides the status and words callers see.
/// </summary>
internal abstract class StoreFailure(string message, Exception cause) : Exception(message, cause);

/// <summary>Nothing was changed: DynamoDB was not reached, refused the request, or a read found no answer in time.</summary>
internal sealed class StoreUnavailable(Exception cause)
    : StoreFailure($"DynamoDB could not serve the call; nothing was changed ({cause.GetType().Name}: {cause.Message})", cause);

/// <summary>A write was sent to DynamoDB and no answer came back in time: it may have been applied.</summary>
internal sealed class WriteOutcomeUnknown(Exception cause)
    : StoreFailure($"a write was sent to DynamoDB without an answer; it may have been applied ({cause.GetType().Name}: {cause.Message})", cause);
