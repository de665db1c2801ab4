using CanaryDemo.Testing.Auth;

namespace CanaryDemo.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The stack as real processes with the api in <c>Jwt</c> mode: the launch description's Jwt
/// settings (issuer, audience) and the public key of <see cref="Tokens"/>, which mints real tokens.
/// </summary>
public sealed class JwtStackFixture : IAsyncLifetime
{
    private long _lastTenant = 5000;
    private LocalDynamoDb? _dynamo;
    private StoreServiceProcess? _store;
    private ApiServiceProcess? _api;

    public TestTokens Tokens { get; private set; } = null!;

    public StoreServiceProcess Store => _store ?? throw new InvalidOperationException("The store-service is not running.");

    public ApiServiceProcess Api => _api ?? throw new InvalidOperationException("The api-service is not running.");

    public HttpClient Client { get; private set; } = null!;

    public long NewTenant() => Interlocked.Increment(ref _lastTenant);

    public async Task InitializeAsync()
    {
        _dynamo = await LocalDynamoDb.StartAsync();
        _store = await StoreServiceProcess.StartServingAsync(StoreServiceProcess.BaseEnvironment(_dynamo.Url, "e2e-jwt-items"));
        Tokens = TestTokens.ForLaunchDescription();
        _api = await ApiServiceProcess.StartReadyAsync(ApiServiceProcess.WithJwtMode(ApiServiceProcess.BaseEnvironment(_store.Address), Tokens.PublicKeySet()));
        Client = _api.CreateClient();
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
