namespace CanaryDemo.Testing;

/// <summary>
/// The time budgets of the services under test. Tests that measure how fast a failure is answered
/// (a stalled, stopped or absent DynamoDB, a killed store) run with the shipped defaults
/// (<see cref="Shipped"/>); every other test runs with budgets three times longer, so that a local
/// DynamoDB slowed down by a busy shared machine is not taken for an outage: the store would then
/// answer a write, honestly, "may have been applied", and fail a test that is not about time.
/// </summary>
public static class ServiceBudgets
{
    /// <summary>Three times the store's defaults (a 1 s DynamoDB attempt in a 1.5 s call).</summary>
    internal static readonly IReadOnlyDictionary<string, string> RelaxedStore = new Dictionary<string, string>
    {
        ["Store__AttemptTimeoutMilliseconds"] = "3000",
        ["Store__OperationTimeoutMilliseconds"] = "4500",
    };

    /// <summary>Three times the api's defaults (a 2 s attempt in a 5 s deadline): above the store's relaxed call.</summary>
    internal static readonly IReadOnlyDictionary<string, string> RelaxedApi = new Dictionary<string, string>
    {
        ["StoreService__AttemptTimeoutMilliseconds"] = "6000",
        ["StoreService__TimeoutSeconds"] = "15",
    };

    /// <summary>Back to the services' own defaults, for the tests that measure time to an answer.</summary>
    public static Dictionary<string, string?> Shipped(this Dictionary<string, string?> environment)
    {
        foreach (var key in RelaxedStore.Keys.Concat(RelaxedApi.Keys))
        {
            environment.Remove(key);
        }

        return environment;
    }

    internal static Dictionary<string, string?> Relaxed(this Dictionary<string, string?> environment, IReadOnlyDictionary<string, string> budgets)
    {
        foreach (var (key, value) in budgets)
        {
            environment[key] = value;
        }

        return environment;
    }
}
