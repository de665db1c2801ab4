namespace CanaryDemo.ApiService.Tests.Infrastructure;

/// <summary>A store double and the api-service pointed at it; one per test class (xunit class fixture).</summary>
public class ApiStack : IAsyncLifetime
{
    private static long s_nextTenant = 1_000;

    private readonly ProcessGroup _hosts = new();
    private StoreDoubleHost? _store;
    private ApiHost? _api;

    public StoreDoubleHost StoreHost => _store ?? throw new InvalidOperationException("not started");

    public StoreDouble Store => StoreHost.Store;

    public ApiHost Api => _api ?? throw new InvalidOperationException("not started");

    public HttpClient Client => Api.Client;

    /// <summary>A tenant no other test uses, so tests can share the double and still see only their own calls.</summary>
    public static long NewTenant() => Interlocked.Increment(ref s_nextTenant);

    public Task InitializeAsync() => _hosts.StartAsync(async () =>
    {
        _store = await _hosts.AddAsync(StoreDoubleHost.StartAsync());
        _api = await _hosts.AddAsync(ApiHost.StartAsync(_store.Address, ExtraApiArgs));
    });

    public async Task DisposeAsync() => await _hosts.DisposeAsync();

    protected virtual string[] ExtraApiArgs => [];
}
