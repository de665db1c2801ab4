using CanaryDemo.ApiService;
using CanaryDemo.Testing;
using Microsoft.AspNetCore.Builder;

namespace CanaryDemo.ApiService.Tests.Infrastructure;

/// <summary>
/// The real api-service (ApiApplication.Build, as Program.cs runs it) on a free loopback port, with
/// its management port (Prometheus <c>/metrics</c>) on another.
/// </summary>
public sealed class ApiHost : IAsyncDisposable
{
    public const string AllowedOrigin = "https://canary-ui.example.test";

    private ApiHost(WebApplication app, int managementPort)
    {
        App = app;
        var addresses = app.Urls.Select(url => new Uri(url)).ToList();
        Client = new HttpClient { BaseAddress = addresses.Single(url => url.Port != managementPort), Timeout = TimeSpan.FromSeconds(30) };
        Management = new HttpClient { BaseAddress = addresses.Single(url => url.Port == managementPort), Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    /// <summary>The application port.</summary>
    public HttpClient Client { get; }

    /// <summary>The management port.</summary>
    public HttpClient Management { get; }

    public static async Task<ApiHost> StartAsync(string storeAddress, params string[] extraArgs)
    {
        var managementPort = FreePort.Next();
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            "--environment=Production",
            $"--Management:Port={managementPort}",
            $"--StoreService:Address={storeAddress}",
            $"--Cors:AllowedOrigins:0={AllowedOrigin}",
            .. extraArgs,
        ];
        var app = ApiApplication.Build(args);
        await app.StartAsync();
        return new ApiHost(app, managementPort);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Management.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
