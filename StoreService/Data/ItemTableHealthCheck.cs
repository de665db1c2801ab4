using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using CanaryDemo.StoreService.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CanaryDemo.StoreService.Data;

/// <summary>
/// Healthy while the items table answers DescribeTable as ACTIVE with both indexes. Run in the
/// background by the health check publisher; the gRPC health service serves its last result.
/// </summary>
internal sealed class ItemTableHealthCheck(IAmazonDynamoDB dynamo, IOptions<StoreOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(
        HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.RequestTimeout);
        try
        {
            var table = (await dynamo.DescribeTableAsync(options.Value.TableName, timeout.Token)).Table;
            var indexes = table.GlobalSecondaryIndexes?.Select(index => index.IndexName).ToHashSet() ?? [];
            if (table.TableStatus != TableStatus.ACTIVE && table.TableStatus != TableStatus.UPDATING)
            {
                return HealthCheckResult.Unhealthy($"table {table.TableName} is {table.TableStatus}");
            }

            return indexes.Contains(ItemTable.CategoryIndex) && indexes.Contains(ItemTable.StatusIndex)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy(
                    $"table {table.TableName} lacks index {ItemTable.CategoryIndex} or {ItemTable.StatusIndex}");
        }
        catch (Exception exception) when (exception is OperationCanceledException || DynamoFailures.IsUnavailable(exception))
        {
            return HealthCheckResult.Unhealthy(
                exception is ResourceNotFoundException
                    ? $"table {options.Value.TableName} does not exist"
                    : "the items table is unreachable",
                exception);
        }
    }
}
