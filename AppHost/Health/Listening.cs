using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CanaryDemo.AppHost.Health;

/// <summary>A proxy is healthy once it accepts connections on its port: it has no health endpoint of its own (Traefik's and Linkerd's are not routed either).</summary>
internal sealed class Listening(int port) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (SocketException exception)
        {
            return HealthCheckResult.Unhealthy($"nothing listens on port {port}", exception);
        }
    }
}
