using CanaryDemo.Testing.Auth;

namespace CanaryDemo.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The stack as the AppHost runs it with the api in <c>Jwt</c> mode, trusting <see cref="Tokens"/>,
/// which mints real tokens.
/// </summary>
public sealed class JwtStackFixture : IAsyncLifetime
{
    private long _lastTenant = 5000;
    private LocalStackApp? _stack;

    public TestTokens Tokens { get; } = new();

    public StackService Store => Stack.Store;

    public StackService Api => Stack.Api;

    public HttpClient Client { get; private set; } = null!;

    private LocalStackApp Stack => _stack ?? throw new InvalidOperationException("The stack is not running.");

    public long NewTenant() => Interlocked.Increment(ref _lastTenant);

    public async Task InitializeAsync()
    {
        _stack = await LocalStackApp.StartAsync(new StackSettings { Jwt = Tokens.Trust() });
        Client = Api.CreateClient();
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
