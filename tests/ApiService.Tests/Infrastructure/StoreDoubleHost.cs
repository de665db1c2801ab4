using System.Net;
using Grpc.Health.V1;
using Grpc.HealthCheck;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CanaryDemo.ApiService.Tests.Infrastructure;

/// <summary>Hosts a <see cref="StoreDouble"/> and grpc.health.v1 on real Kestrel, h2c on a free loopback port.</summary>
public sealed class StoreDoubleHost : IAsyncDisposable
{
    /// <summary>The health service name the real store reports besides "".</summary>
    public const string StoreServiceName = "store.v1.StoreService";

    private readonly WebApplication _app;

    private StoreDoubleHost(WebApplication app, StoreDouble store, HealthServiceImpl health)
    {
        _app = app;
        Store = store;
        Health = health;
        Address = app.Urls.Single();
    }

    public StoreDouble Store { get; }

    public HealthServiceImpl Health { get; }

    /// <summary>http://127.0.0.1:port</summary>
    public string Address { get; }

    /// <param name="port">0 for a free port; a fixed one only to restart a double where a stopped one was.</param>
    public static async Task<StoreDoubleHost> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));
        var store = new StoreDouble();
        var health = new HealthServiceImpl();
        health.SetStatus(string.Empty, HealthCheckResponse.Types.ServingStatus.Serving);
        health.SetStatus(StoreServiceName, HealthCheckResponse.Types.ServingStatus.Serving);
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(health);

        var app = builder.Build();
        app.MapGrpcService<StoreDouble>();
        app.MapGrpcService<HealthServiceImpl>();
        await app.StartAsync();
        return new StoreDoubleHost(app, store, health);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
