extern alias api;
using api::CanaryDemo.ApiService;
using Microsoft.AspNetCore.Builder;

namespace ApiService.Tests.Infrastructure;

/// <summary>The real api-service (ApiApplication.Build, as Program.cs runs it) on a free loopback port.</summary>
public sealed class ApiHost : IAsyncDisposable
{
    public const string AllowedOrigin = "https://canary-ui.example.test";

    private ApiHost(WebApplication app)
    {
        App = app;
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()), Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public static async Task<ApiHost> StartAsync(string storeAddress, params string[] extraArgs)
    {
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            "--environment=Production",
            $"--StoreService:Address={storeAddress}",
            $"--Cors:AllowedOrigins:0={AllowedOrigin}",
            .. extraArgs,
        ];
        var app = ApiApplication.Build(args);
        await app.StartAsync();
        return new ApiHost(app);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
