using CanaryDemo.Store.V1;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CanaryDemo.ApiService.Health;

/// <summary>
/// Ready only while the store's <c>grpc.health.v1</c> check reports <c>store.v1.StoreService</c>
/// as SERVING (the store reports it, and "", from its DynamoDB table probe). Goes through the
/// same client factory, deadline and canary propagation as every store call.
/// </summary>
internal sealed class StoreHealthCheck(Grpc.Health.V1.Health.HealthClient health) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var reply = await health.CheckAsync(new HealthCheckRequest { Service = StoreService.Descriptor.FullName }, cancellationToken: cancellationToken);
            return reply.Status == HealthCheckResponse.Types.ServingStatus.Serving
                ? HealthCheckResult.Healthy("store is serving")
                : HealthCheckResult.Unhealthy($"store reports {reply.Status}");
        }
        catch (RpcException exception)
        {
            return HealthCheckResult.Unhealthy($"store health check failed with {exception.StatusCode}");
        }
    }
}
