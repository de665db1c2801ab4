using Amazon.DynamoDBv2;
using CanaryDemo.Shared.Canary;
using CanaryDemo.Shared.Canary.Observability;
using CanaryDemo.StoreService.Configuration;
using CanaryDemo.StoreService.Data;
using CanaryDemo.StoreService.Grpc;
using CanaryDemo.StoreService.Items;
using CanaryDemo.StoreService.Paging;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Serilog;
using StoreApi = CanaryDemo.Store.V1.StoreService;

namespace CanaryDemo.StoreService.Hosting;

/// <summary>Composition of the store-service: gRPC over h2c, health, reflection, DynamoDB, telemetry.</summary>
internal static class StoreApplication
{
    private const int MaxRequestBytes = 256 * 1024;

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Services.AddSerilog();
        // h2c: without TLS there is no ALPN, so the application endpoint must speak HTTP/2 only.
        builder.AddObservability(StoreLogging.Service, HttpProtocols.Http2, ItemMetrics.MeterName);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(20));

        builder.Services.AddOptions<StoreOptions>()
            .Bind(builder.Configuration.GetSection(StoreOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<StoreOptions>, StoreOptionsValidator>();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IAmazonDynamoDB>(services =>
            DynamoDbClientFactory.Create(services.GetRequiredService<IOptions<StoreOptions>>().Value));
        builder.Services.AddSingleton<ItemMetrics>();
        builder.Services.AddSingleton<ItemRepository>();
        builder.Services.AddSingleton<PageTokenCodec>();
        builder.Services.AddHostedService<ItemTableInitializer>();

        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = MaxRequestBytes;
            grpc.EnableDetailedErrors = false;
        })
            .AddCanary()
            // Service-level interceptors run inside the global canary interceptor, so the RPC
            // log line sees the call's canary.
            .AddServiceOptions<ItemStoreService>(service =>
            {
                service.Interceptors.Add<RpcLoggingInterceptor>();
                service.Interceptors.Add<StoreExceptionInterceptor>();
            });
        builder.Services.AddScoped<RpcDiagnostics>();
        builder.Services.AddGrpcReflection();

        builder.Services.AddGrpcHealthChecks(health =>
        {
            // Serve the background probe's last verdict instead of calling DynamoDB per probe.
            health.UseHealthChecksCache = true;
            health.Services.Map(StoreApi.Descriptor.FullName, _ => true);
        }).AddCheck<ItemTableHealthCheck>("dynamodb-table");
        builder.Services.AddSingleton<IHealthCheckPublisher, HealthTransitionLogger>();
        builder.Services.AddOptions<HealthCheckPublisherOptions>().Configure<IOptions<StoreOptions>>((publisher, store) =>
        {
            publisher.Delay = TimeSpan.Zero;
            publisher.Period = TimeSpan.FromSeconds(store.Value.HealthProbeIntervalSeconds);
            publisher.Timeout = store.Value.RequestTimeout + TimeSpan.FromSeconds(1);
        });

        var app = builder.Build();
        app.UseObservability();
        app.MapGrpcService<ItemStoreService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }
}
