using CanaryDemo.Shared.Canary;
using CanaryDemo.Store.V1;
using Grpc.Core;
using Grpc.Net.Client.Configuration;
using Grpc.Net.ClientFactory;
using Microsoft.Extensions.Options;
using GrpcHealth = Grpc.Health.V1.Health;

namespace CanaryDemo.ApiService.Store;

internal static class StoreClientRegistration
{
    /// <summary>
    /// While the store is unreachable calls fail fast (503) and the channel retries the connection
    /// with exponential backoff; capping it (default 120 s) means a restarted store is used again
    /// within seconds.
    /// </summary>
    private static readonly TimeSpan MaxReconnectBackoff = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Registers the store's gRPC clients (items and <c>grpc.health.v1</c>) on one configuration:
    /// address and deadline from <see cref="StoreServiceOptions"/>, canary propagation, and
    /// retries for idempotent reads only.
    /// </summary>
    public static IServiceCollection AddStoreClients(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StoreServiceOptions>().Bind(configuration.GetSection(StoreServiceOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StoreServiceOptions>, StoreServiceOptionsValidator>();
        services.AddSingleton<DeadlineInterceptor>();

        services.AddGrpcClient<StoreService.StoreServiceClient>(UseConfiguredAddress)
            .ConfigureChannel(channel =>
            {
                channel.ServiceConfig = ReadRetryServiceConfig();
                channel.MaxReconnectBackoff = MaxReconnectBackoff;
            })
            .ConfigurePrimaryHttpMessageHandler(CreateHandler)
            .AddInterceptor<DeadlineInterceptor>(InterceptorScope.Client)
            .AddCanaryPropagation();

        services.AddGrpcClient<GrpcHealth.HealthClient>(UseConfiguredAddress)
            .ConfigureChannel(channel => channel.MaxReconnectBackoff = MaxReconnectBackoff)
            .ConfigurePrimaryHttpMessageHandler(CreateHandler)
            .AddInterceptor<DeadlineInterceptor>(InterceptorScope.Client)
            .AddCanaryPropagation();
        return services;
    }

    private static void UseConfiguredAddress(IServiceProvider services, GrpcClientFactoryOptions options) =>
        options.Address = new Uri(services.GetRequiredService<IOptions<StoreServiceOptions>>().Value.Address);

    private static SocketsHttpHandler CreateHandler() => new()
    {
        // One HTTP/2 connection caps concurrent streams (100 by default); open more under load.
        EnableMultipleHttp2Connections = true,
        // Detect a dead store connection (e.g. a pod gone without FIN) instead of waiting on it.
        KeepAlivePingDelay = TimeSpan.FromSeconds(30),
        KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>
    /// Retries GetItem and ListItems on Unavailable (a restarting or unreachable store). Writes
    /// are never retried by the client: a write that reached the store may have been applied.
    /// All attempts share the call's deadline.
    /// </summary>
    private static ServiceConfig ReadRetryServiceConfig()
    {
        var service = StoreService.Descriptor.FullName;
        return new ServiceConfig
        {
            MethodConfigs =
            {
                new MethodConfig
                {
                    Names =
                    {
                        new MethodName { Service = service, Method = "GetItem" },
                        new MethodName { Service = service, Method = "ListItems" },
                    },
                    RetryPolicy = new RetryPolicy
                    {
                        MaxAttempts = 3,
                        InitialBackoff = TimeSpan.FromMilliseconds(100),
                        MaxBackoff = TimeSpan.FromSeconds(1),
                        BackoffMultiplier = 2,
                        RetryableStatusCodes = { StatusCode.Unavailable },
                    },
                },
            },
        };
    }
}
