namespace CanaryDemo.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The whole stack as real processes on free loopback ports: an in-memory local DynamoDB (LocalDynamoDb), the
/// store-service on it and the api-service in front, shared by every test of the "stack"
/// collection. Tests isolate themselves by tenant (<see cref="NewTenant"/>).
/// </summary>
public sealed class StackFixture : IAsyncLifetime
{
    /// <summary>The browser origin the api-service is configured to allow.</summary>
    public const string AllowedOrigin = "https://canary-ui.example.test";

    private const string TableName = "e2e-items";

    private long _lastTenant = 1000;
    private LocalDynamoDb? _dynamo;
    private Dictionary<string, string?> _storeEnvironment = [];
    private StoreServiceProcess? _store;
    private ApiServiceProcess? _api;

    /// <summary>Where the local DynamoDB keeps its data; in memory when null. Set before the stack starts.</summary>
    public string? DataPath { get; init; }

    /// <summary>Whether the services run with their shipped time budgets (<see cref="ServiceBudgets"/>). Set before the stack starts.</summary>
    public bool ShippedBudgets { get; init; }

    public LocalDynamoDb Dynamo => _dynamo ?? throw new InvalidOperationException("The local DynamoDB is not running.");

    public StoreServiceProcess Store => _store ?? throw new InvalidOperationException("The store-service is not running.");

    public ApiServiceProcess Api => _api ?? throw new InvalidOperationException("The api-service is not running.");

    public HttpClient Client { get; private set; } = null!;

    public long NewTenant() => Interlocked.Increment(ref _lastTenant);

    public async Task InitializeAsync()
    {
        try
        {
            await StartAsync();
        }
        catch
        {
            // xunit does not dispose a fixture whose start failed; its processes must not outlive the run.
            await DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync()
    {
        _dynamo = await LocalDynamoDb.StartAsync(DataPath);
        _storeEnvironment = WithBudgets(StoreServiceProcess.BaseEnvironment(_dynamo.Url, TableName));
        _store = await StoreServiceProcess.StartServingAsync(_storeEnvironment);
        _api = await ApiServiceProcess.StartReadyAsync(WithBudgets(ApiServiceProcess.BaseEnvironment(_store.Address, AllowedOrigin)));
        Client = _api.CreateClient();
    }

    private Dictionary<string, string?> WithBudgets(Dictionary<string, string?> environment) =>
        ShippedBudgets ? environment.Shipped() : environment;

    /// <summary>Stops the store-service the way Kubernetes does (SIGTERM) and returns its exit code.</summary>
    public async Task<int> StopStoreAsync()
    {
        return await Store.TerminateAsync(TimeSpan.FromSeconds(25));
    }

    /// <summary>
    /// Kills the store-service outright (SIGKILL): no shutdown, its connections are reset mid-call.
    /// <see cref="RestartStoreAsync"/> starts it again.
    /// </summary>
    public void KillStore() => Signals.Kill(Store.ProcessId);

    /// <summary>Starts the stopped or killed store-service again, on the port and with the configuration it had.</summary>
    public async Task RestartStoreAsync()
    {
        await Store.WaitForExitAsync(TimeSpan.FromSeconds(10));
        await Store.DisposeAsync();
        var url = ServiceProcess.LoopbackUrl(Store.Port);
        _store = null;
        _store = await StoreServiceProcess.StartServingAsync(_storeEnvironment, url);
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        if (_dynamo is not null)
        {
            await _dynamo.DisposeAsync();
        }
    }
}

/// <summary>One stack for all end-to-end tests; they run one after another (the outage test stops the store).</summary>
[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<StackFixture>
{
    public const string Name = "stack";
}
