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

    private readonly ProcessGroup _processes = new();
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

    public Task InitializeAsync() => _processes.StartAsync(async () =>
    {
        _dynamo = await _processes.AddAsync(LocalDynamoDb.StartAsync(DataPath));
        _storeEnvironment = WithBudgets(StoreServiceProcess.BaseEnvironment(_dynamo.Url, TableName));
        _store = await _processes.AddAsync(StoreServiceProcess.StartServingAsync(_storeEnvironment));
        _api = await _processes.AddAsync(ApiServiceProcess.StartReadyAsync(WithBudgets(ApiServiceProcess.BaseEnvironment(_store.Address, AllowedOrigin))));
        Client = _api.CreateClient();
    });

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
        var stopped = Store;
        await stopped.WaitForExitAsync(TimeSpan.FromSeconds(10));
        await stopped.DisposeAsync();
        var url = ServiceProcess.LoopbackUrl(stopped.Port);
        _store = null;
        _store = _processes.Replace(stopped, await StoreServiceProcess.StartServingAsync(_storeEnvironment, url));
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        await _processes.DisposeAsync();
    }
}

/// <summary>One stack for all end-to-end tests; they run one after another (the outage test stops the store).</summary>
[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<StackFixture>
{
    public const string Name = "stack";
}
