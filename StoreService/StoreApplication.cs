using Amazon.DynamoDBv2;
using CanaryDemo.ServiceDefaults;
using CanaryDemo.Shared.Canary;
using CanaryDemo.StoreService.Configuration;
using CanaryDemo.StoreService.Data;
using CanaryDemo.StoreService.Grpc;
using CanaryDemo.StoreService.Items;
using CanaryDemo.StoreService.Paging;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StoreApi = CanaryDemo.Store.V1.StoreService;

namespace CanaryDemo.StoreService;

/// <summary>
/// Builds the whole store-service: gRPC over h2c, health, reflection, DynamoDB. Program.cs runs
/// it; the tests run the built service as a process.
/// </summary>
internal static class StoreApplication
{
    private const int MaxRequestBytes = 256 * 1024;

    /// <summary>The grpc.health.v1 service name of the liveness and start-up probes.</summary>
    public const string LivenessService = "liveness";

    /// <summary>The name and version on every log event, span and metric resource.</summary>
    public static ServiceIdentity Service { get; } = ServiceIdentity.Of("store-service", typeof(StoreApplication).Assembly);

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.AddServiceDefaults(Service, ItemMetrics.MeterName);
        // h2c: without TLS there is no ALPN, so the application endpoint must speak HTTP/2 only.
        builder.ConfigureListeners(HttpProtocols.Http2);

        builder.Services.AddOptions<StoreOptions>()
            .Bind(builder.Configuration.GetSection(StoreOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<StoreOptions>, StoreOptionsValidator>();

        builder.Services.AddSingleton<IAmazonDynamoDB>(services =>
            DynamoDbClientFactory.Create(services.GetRequiredService<IOptions<StoreOptions>>().Value));
        builder.Services.AddSingleton<DynamoRequests>();
        builder.Services.AddSingleton<ItemMetrics>();
        builder.Services.AddSingleton<ItemRepository>();
        builder.Services.AddSingleton<PageTokenCodec>();
        builder.Services.AddHostedService<ItemTableInitializer>();

        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = MaxRequestBytes;
            grpc.EnableDetailedErrors = false;
        })
            .AddCanaryContext()
            // Service-level interceptors run inside the global canary interceptor, so the RPC
            // log line sees the call's canary.
            .AddServiceOptions<ItemStoreService>(service =>
            {
                service.Interceptors.Add<RpcLoggingInterceptor>();
                service.Interceptors.Add<StoreExceptionInterceptor>();
            });
        builder.Services.AddScoped<RpcDiagnostics>();
        builder.Services.AddGrpcReflection();

        builder.Services.AddSingleton<ItemTableProbe>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ItemTableProbe>());
        builder.Services.AddGrpcHealthChecks(health =>
        {
            // Each Check runs the checks, which read the table probe's last verdict: current to
            // within one probe interval, and no probe ever waits for DynamoDB. (The cache would
            // lag by the publisher's period, which cannot be shorter than a second.)
            health.UseHealthChecksCache = false;
            // Readiness (and "", the overall status) include DynamoDB; liveness and start-up
            // probes ask for "liveness", which checks nothing, so a DynamoDB outage makes the pods
            // NotReady instead of restarting them.
            health.Services.Map(StoreApi.Descriptor.FullName, _ => true);
            health.Services.Map(LivenessService, result => result.Tags.Contains(LivenessService));
        })
            .AddCheck("process", () => HealthCheckResult.Healthy(), tags: [LivenessService])
            .AddCheck<ItemTableHealthCheck>("dynamodb-table");
        // The background round whose changes HealthTransitionLogger reports; it only reads verdicts.
        builder.Services.Configure<HealthCheckPublisherOptions>(publisher =>
        {
            publisher.Delay = TimeSpan.Zero;
            publisher.Period = TimeSpan.FromSeconds(1);
        });

        var app = builder.Build();
        app.UseServiceDefaults();
        app.UseMiddleware<RpcRejectionLogging>();
        app.MapGrpcService<ItemStoreService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }
}
