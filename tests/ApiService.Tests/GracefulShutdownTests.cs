using System.Diagnostics;
using System.Net;
using CanaryDemo.ApiService.Tests.Infrastructure;

namespace CanaryDemo.ApiService.Tests;

public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task A_request_in_flight_when_shutdown_starts_is_answered_before_the_host_stops()
    {
        await using var store = await StoreDoubleHost.StartAsync();
        await using var api = await ApiHost.StartAsync(store.Address);
        var tenant = ApiStack.NewTenant();
        store.Store.Script(tenant, new StoreScript(Delay: TimeSpan.FromMilliseconds(700)));

        var inFlight = api.Client.SendAsync(RawRequests.Create(HttpMethod.Get, $"/api/v1/items/{RawRequests.ItemId}", tenant));
        var waited = Stopwatch.StartNew();
        while (store.Store.CallsFor(tenant).Count == 0 && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(10);
        }

        var stopping = api.App.StopAsync();
        using var response = await inFlight;
        await stopping.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var freshClient = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => freshClient.GetAsync(new Uri(api.Client.BaseAddress!, "/healthz/live")));
    }
}
