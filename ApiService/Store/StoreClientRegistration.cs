using CanaryDemo.ServiceDefaults;
using CanaryDemo.Shared.Canary;
using CanaryDemo.Store.V1;
using Grpc.Net.ClientFactory;
using Microsoft.Extensions.Options;
using GrpcHealth = Grpc.Health.V1.Health;

namespace CanaryDemo.ApiService.Store;

internal static class StoreClientRegistration
{
    /// <summary>A store on the same cluster network answers a connection attempt well within this.</summary>
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Registers the store's gRPC clients (items and <c>grpc.health.v1</c>) on one configuration:
    /// address, deadlines and read retries (<see cref="StoreCallInterceptor"/>), canary propagation.
    /// Without IHttpClientFactory's per-request log scopes and lines: they are below the level the
    /// service logs HttpClient at, and a failed store call is logged once, by the exception handler.
    /// </summary>
    public static IServiceCollection AddStoreClients(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StoreServiceOptions>().Bind(configuration.GetSection(StoreServiceOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StoreServiceOptions>, StoreServiceOptionsValidator>();
        services.AddSingleton<StoreCallInterceptor>();

        services.AddGrpcClient<StoreService.StoreServiceClient>(UseConfiguredAddress)
            .ConfigurePrimaryHttpMessageHandler(CreateHandler)
            .RemoveAllLoggers()
            .AddInterceptor<StoreCallInterceptor>(InterceptorScope.Client)
            .AddCanaryPropagation();

        services.AddGrpcClient<GrpcHealth.HealthClient>(UseConfiguredAddress)
            .ConfigurePrimaryHttpMessageHandler(CreateHandler)
            .RemoveAllLoggers()
            .AddInterceptor<StoreCallInterceptor>(InterceptorScope.Client)
            .AddCanaryPropagation();
        return services;
    }

    private static void UseConfiguredAddress(IServiceProvider services, GrpcClientFactoryOptions options) =>
        options.Address = new Uri(services.GetRequiredService<IOptions<StoreServiceOptions>>().Value.Address);

    private static SocketsHttpHandler CreateHandler() => new()
    {
        // Connection failures say "never sent" (StoreCallFailures). With its own ConnectCallback
        // the handler also opts out of grpc-dotnet's connectivity tracking (GrpcChannel.cs,
        // CalculateHandlerContext): every call connects on demand, so calls fail at once while
        // the store is down and use it again the moment it is back, with no reconnect backoff to
        // wait out, for the items client and the health client alike.
        ConnectCallback = OutboundConnections.ConnectCallback(ConnectTimeout),
        // One HTTP/2 connection caps concurrent streams (100 by default); open more under load.
        EnableMultipleHttp2Connections = true,
        // Detect a dead store connection (e.g. a pod gone without FIN) instead of waiting on it.
        KeepAlivePingDelay = TimeSpan.FromSeconds(30),
        KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
    };
}
