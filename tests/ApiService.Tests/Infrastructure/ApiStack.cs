namespace CanaryDemo.ApiService.Tests.Infrastructure;

/// <summary>A store double and the api-service pointed at it; one per test class (xunit class fixture).</summary>
public class ApiStack : IAsyncLifetime
{
    private static long s_nextTenant = 1_000;

    private StoreDoubleHost? _store;
    private ApiHost? _api;

    public StoreDoubleHost StoreHost => _store ?? throw new InvalidOperationException("not started");

    public StoreDouble Store => StoreHost.Store;

    public ApiHost Api => _api ?? throw new InvalidOperationException("not started");

    public HttpClient Client => Api.Client;

    /// <summary>A tenant no other test uses, so tests can share the double and still see only their own calls.</summary>
    public static long NewTenant() => Interlocked.Increment(ref s_nextTenant);

    public async Task InitializeAsync()
    {
        _store = await StoreDoubleHost.StartAsync();
        _api = await ApiHost.StartAsync(_store.Address, ExtraApiArgs);
    }

    public async Task DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    protected virtual string[] ExtraApiArgs => [];
}
