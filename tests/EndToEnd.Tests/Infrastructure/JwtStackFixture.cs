using CanaryDemo.Testing.Auth;

namespace CanaryDemo.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The stack as real processes with the api in <c>Jwt</c> mode: the launch description's Jwt
/// settings (issuer, audience) and the public key of <see cref="Tokens"/>, which mints real tokens.
/// </summary>
public sealed class JwtStackFixture : IAsyncLifetime
{
    private readonly ProcessGroup _processes = new();
    private long _lastTenant = 5000;
    private StoreServiceProcess? _store;
    private ApiServiceProcess? _api;

    public TestTokens Tokens { get; private set; } = null!;

    public StoreServiceProcess Store => _store ?? throw new InvalidOperationException("The store-service is not running.");

    public ApiServiceProcess Api => _api ?? throw new InvalidOperationException("The api-service is not running.");

    public HttpClient Client { get; private set; } = null!;

    public long NewTenant() => Interlocked.Increment(ref _lastTenant);

    public Task InitializeAsync() => _processes.StartAsync(async () =>
    {
        var dynamo = await _processes.AddAsync(LocalDynamoDb.StartAsync());
        _store = await _processes.AddAsync(StoreServiceProcess.StartServingAsync(StoreServiceProcess.BaseEnvironment(dynamo.Url, "e2e-jwt-items")));
        Tokens = TestTokens.ForLaunchDescription();
        _api = await _processes.AddAsync(ApiServiceProcess.StartReadyAsync(ApiServiceProcess.WithJwtMode(ApiServiceProcess.BaseEnvironment(_store.Address), Tokens.PublicKeySet())));
        Client = _api.CreateClient();
    });

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        await _processes.DisposeAsync();
    }
}
