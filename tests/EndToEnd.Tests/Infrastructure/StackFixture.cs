namespace CanaryDemo.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The whole stack as the AppHost runs it (<see cref="LocalStackApp"/>): an in-memory local
/// DynamoDB, the store-service on it and the api-service in front, as real processes on free
/// loopback ports, shared by every test of the "stack" collection. Tests isolate themselves by
/// tenant (<see cref="NewTenant"/>).
/// </summary>
public sealed class StackFixture : IAsyncLifetime
{
    /// <summary>The browser origin the api-service is configured to allow.</summary>
    public const string AllowedOrigin = "https://canary-ui.example.test";

    private long _lastTenant = 1000;
    private LocalStackApp? _stack;

    /// <summary>The stack's state folder, where the DynamoDB keeps its data; in memory when null. Set before the stack starts.</summary>
    public string? State { get; init; }

    /// <summary>Whether the services run with their shipped time budgets (<see cref="ServiceBudgets"/>). Set before the stack starts.</summary>
    public bool ShippedBudgets { get; init; }

    public LocalStackApp Stack => _stack ?? throw new InvalidOperationException("The stack is not running.");

    public EngineFaults Dynamo { get; private set; } = null!;

    public StackService Store => Stack.Store;

    public StackService Api => Stack.Api;

    public HttpClient Client { get; private set; } = null!;

    public long NewTenant() => Interlocked.Increment(ref _lastTenant);

    public async Task InitializeAsync()
    {
        _stack = await LocalStackApp.StartAsync(new StackSettings { State = State, ShippedBudgets = ShippedBudgets, CorsOrigins = [AllowedOrigin] });
        Dynamo = new EngineFaults(_stack.Engine);
        Client = Api.CreateClient();
    }

    /// <summary>Stops the store-service the way Kubernetes does (SIGTERM) and returns its exit code.</summary>
    public Task<int> StopStoreAsync() => Store.TerminateAsync(TimeSpan.FromSeconds(25));

    /// <summary>
    /// Kills the store-service outright (SIGKILL): no shutdown, its connections are reset mid-call.
    /// A signal to one process: the orchestrator only stops a process gracefully.
    /// <see cref="RestartStoreAsync"/> starts it again.
    /// </summary>
    public void KillStore() => Signals.Kill(Store.ProcessId);

    /// <summary>Starts the stopped or killed store-service again, on the port and with the configuration it had.</summary>
    public async Task RestartStoreAsync()
    {
        await Store.WaitForExitAsync(TimeSpan.FromSeconds(10));
        await Store.StartAgainAsync();
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }
    }
}

/// <summary>One stack for all end-to-end tests; they run one after another (the outage test stops the store).</summary>
[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<StackFixture>
{
    public const string Name = "stack";
}
