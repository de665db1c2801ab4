namespace CanaryDemo.Store.V1;

/// <summary>
/// The <c>google.rpc.ErrorInfo</c> of the store's own failure answers (store.proto describes
/// them): how a caller tells "nothing was changed" from "a write may have been applied" without
/// reading message texts, and the store's answer from a transport or proxy failure.
/// </summary>
public static class StoreFailureReasons
{
    public const string Domain = "store.canarydemo.example";

    /// <summary>UNAVAILABLE: DynamoDB could not serve the call and nothing was changed.</summary>
    public const string StoreUnavailable = "STORE_UNAVAILABLE";

    /// <summary>DEADLINE_EXCEEDED: a write was sent and not answered in time; it may have been applied.</summary>
    public const string WriteOutcomeUnknown = "WRITE_OUTCOME_UNKNOWN";
}
