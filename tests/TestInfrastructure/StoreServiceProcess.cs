using CanaryDemo.AppHost;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace CanaryDemo.Testing;

/// <summary>
/// The built StoreService run alone as its own process (`dotnet StoreService.dll`, or the binary
/// named by <c>STORE_SERVICE_EXECUTABLE</c>) on a loopback port, configured through environment
/// variables like in a container. For tests of one process with a configuration no stack runs
/// (start-up validation, shutdown against a silent DynamoDB, a second store on a stack's table);
/// stacks come from the AppHost (<see cref="LocalStackApp"/>). Its JSON log lines are collected so
/// tests can assert on them.
/// </summary>
public sealed class StoreServiceProcess : ServiceProcess
{
    private readonly Lock _channelLock = new();
    private GrpcChannel? _channel;

    private StoreServiceProcess(IReadOnlyDictionary<string, string?> environment, string url)
        : base("STORE_SERVICE_EXECUTABLE", "StoreService.dll", url, environment)
    {
    }

    public GrpcChannel Channel
    {
        get
        {
            lock (_channelLock)
            {
                return _channel ??= GrpcChannel.ForAddress(Address);
            }
        }
    }

    /// <summary>The AppHost's settings (<see cref="LocalServices.Store"/>) with relaxed time budgets (<see cref="ServiceBudgets"/>), a fresh signing key and a free management port; track stable.</summary>
    public static Dictionary<string, string?> BaseEnvironment(string dynamoUrl, string tableName) =>
        LocalServices.Store(dynamoUrl, tableName, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), FreePort.Next(), LocalServices.StableTrack)
            .ToDictionary(pair => pair.Key, pair => (string?)pair.Value)
            .Relaxed(ServiceBudgets.RelaxedStore);

    /// <summary>Starts the service; does not wait for it to listen (see <see cref="WaitUntilServingAsync"/>).</summary>
    public static StoreServiceProcess Start(IReadOnlyDictionary<string, string?> environment, string url = AnyLoopbackPort) =>
        new(environment, url);

    public static async Task<StoreServiceProcess> StartServingAsync(
        IReadOnlyDictionary<string, string?> environment, string url = AnyLoopbackPort)
    {
        var service = Start(environment, url);
        try
        {
            await service.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    public async Task WaitUntilServingAsync(TimeSpan timeout)
    {
        await WaitUntilListeningAsync(timeout);
        await WaitForHealthAsync(HealthCheckResponse.Types.ServingStatus.Serving, timeout);
    }

    /// <summary>The store's gRPC health verdict.</summary>
    public Task<HealthCheckResponse.Types.ServingStatus> HealthAsync(string service = "") => StoreHealth.CheckAsync(Channel, service);

    /// <summary>Waits until the store's gRPC health answers <paramref name="expected"/>.</summary>
    public Task WaitForHealthAsync(HealthCheckResponse.Types.ServingStatus expected, TimeSpan timeout) =>
        StoreHealth.WaitForAsync(Channel, expected, timeout, "store-service", () => Output);

    /// <summary>The per-RPC log lines of one store method for one tenant, in order.</summary>
    public Task<IReadOnlyList<System.Text.Json.JsonElement>> WaitForRpcLogsAsync(string method, long tenantId, int count = 1) =>
        WaitForLogsAsync(
            log => log.TryGetProperty("grpc_method", out var logged) && logged.GetString() == $"/store.v1.StoreService/{method}" &&
                   log.TryGetProperty("tenant", out var tenant) && tenant.GetInt64() == tenantId,
            count);

    public override async ValueTask DisposeAsync()
    {
        _channel?.Dispose();
        await base.DisposeAsync();
    }
}
