using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CanaryDemo.AppHost.Health;

/// <summary>
/// The local DynamoDB is healthy once it answers a request: a JVM listens seconds before it
/// answers. DynamoDB Local is also warmed up (<see cref="EngineWarmUp"/>) each time it comes
/// back, before the stores that wait for it start.
/// </summary>
internal sealed class DynamoDbAnswers(string url, bool warmUp) : IHealthCheck, IDisposable
{
    private readonly AmazonDynamoDBClient _client = new(
        new BasicAWSCredentials("local", "local"),
        new AmazonDynamoDBConfig { ServiceURL = url, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0, Timeout = TimeSpan.FromSeconds(5) });

    private bool _answering;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await _client.ListTablesAsync(new ListTablesRequest(), cancellationToken);
            if (!_answering && warmUp)
            {
                await EngineWarmUp.RunAsync(_client, cancellationToken);
            }

            _answering = true;
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is AmazonServiceException or HttpRequestException or TaskCanceledException or IOException)
        {
            _answering = false;
            return HealthCheckResult.Unhealthy($"{url} does not answer", exception);
        }
    }

    public void Dispose() => _client.Dispose();
}
