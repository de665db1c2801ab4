using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CanaryDemo.AppHost.Health;

/// <summary>A store track is healthy when its gRPC health service answers SERVING (its table is reachable).</summary>
internal sealed class StoreServing(string address) : IHealthCheck, IDisposable
{
    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(address);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await new Grpc.Health.V1.Health.HealthClient(_channel).CheckAsync(
                new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: cancellationToken);
            return response.Status == HealthCheckResponse.Types.ServingStatus.Serving
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"{address} is {response.Status}");
        }
        catch (RpcException exception)
        {
            return HealthCheckResult.Unhealthy($"{address} does not answer", exception);
        }
    }

    public void Dispose() => _channel.Dispose();
}
