using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using CanaryDemo.StoreService.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CanaryDemo.StoreService.Data;

/// <summary>
/// Describes the items table every <see cref="StoreOptions.HealthProbeInterval"/>, one request
/// bounded by <see cref="StoreOptions.AttemptTimeout"/>, and keeps the verdict: healthy while the
/// table is ACTIVE (or UPDATING) with both indexes. A DynamoDB that stops answering is seen
/// within one interval plus one attempt, and one that is back within one interval. Health checks
/// read the verdict, so probes never reach DynamoDB.
/// </summary>
internal sealed class ItemTableProbe(IAmazonDynamoDB dynamo, IOptions<StoreOptions> options, TimeProvider time)
    : BackgroundService
{
    private volatile HealthCheckResultBox _latest = new(HealthCheckResult.Unhealthy("the items table has not been probed yet"));

    public HealthCheckResult Latest => _latest.Result;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.HealthProbeInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            var started = time.GetTimestamp();
            _latest = new HealthCheckResultBox(await ProbeAsync(stoppingToken));
            var wait = interval - time.GetElapsedTime(started);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task<HealthCheckResult> ProbeAsync(CancellationToken stoppingToken)
    {
        var tableName = options.Value.TableName;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(options.Value.AttemptTimeout);
        try
        {
            var table = (await dynamo.DescribeTableAsync(tableName, timeout.Token)).Table;
            var indexes = table.GlobalSecondaryIndexes?.Select(index => index.IndexName).ToHashSet() ?? [];
            if (table.TableStatus != TableStatus.ACTIVE && table.TableStatus != TableStatus.UPDATING)
            {
                return HealthCheckResult.Unhealthy($"table {table.TableName} is {table.TableStatus}");
            }

            return indexes.Contains(ItemTable.CategoryIndex) && indexes.Contains(ItemTable.StatusIndex)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"table {table.TableName} lacks index {ItemTable.CategoryIndex} or {ItemTable.StatusIndex}");
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy(
                exception is ResourceNotFoundException
                    ? $"table {tableName} does not exist"
                    : $"the items table is unreachable ({exception.GetType().Name})",
                exception);
        }
    }

    // HealthCheckResult is a struct; a reference swaps it atomically between the probe and readers.
    private sealed record HealthCheckResultBox(HealthCheckResult Result);
}
