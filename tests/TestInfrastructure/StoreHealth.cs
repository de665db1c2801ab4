using Grpc.Health.V1;
using Grpc.Net.Client;

namespace CanaryDemo.Testing;

/// <summary>A store's <c>grpc.health.v1</c> verdicts, however the store process was started.</summary>
public static class StoreHealth
{
    /// <summary>The verdict for <paramref name="service"/> (<c>""</c>: the whole server).</summary>
    public static async Task<HealthCheckResponse.Types.ServingStatus> CheckAsync(GrpcChannel channel, string service = "")
    {
        var response = await new Health.HealthClient(channel).CheckAsync(
            new HealthCheckRequest { Service = service }, deadline: DateTime.UtcNow.AddSeconds(5));
        return response.Status;
    }

    /// <summary>Waits until the server's verdict is <paramref name="expected"/>; the timeout names <paramref name="name"/> and its output.</summary>
    public static async Task WaitForAsync(
        GrpcChannel channel, HealthCheckResponse.Types.ServingStatus expected, TimeSpan timeout, string name, Func<string> output)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                if (await CheckAsync(channel) == expected)
                {
                    return;
                }
            }
            catch (Grpc.Core.RpcException) when (DateTime.UtcNow < deadline)
            {
                // No verdict yet (the first probe has not finished).
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"{name}'s health did not become {expected} within {timeout}. Output:\n{output()}");
            }

            await Task.Delay(100);
        }
    }
}
