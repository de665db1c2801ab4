using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using CanaryDemo.StoreService.Configuration;
using Microsoft.Extensions.Options;

namespace CanaryDemo.StoreService.Data;

/// <summary>
/// With <c>Store:CreateTableIfMissing</c>, creates the table and its indexes before the server
/// starts listening, and waits until it is ACTIVE. Gives up (failing start-up) after
/// <see cref="StartupTimeout"/>, e.g. when DynamoDB is not reachable at all.
/// </summary>
internal sealed partial class ItemTableInitializer(
    IAmazonDynamoDB dynamo, IOptions<StoreOptions> options, ILogger<ItemTableInitializer> logger) : IHostedService
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.CreateTableIfMissing)
        {
            return;
        }

        var tableName = options.Value.TableName;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StartupTimeout);
        try
        {
            while (true)
            {
                try
                {
                    var status = await DescribeOrCreateAsync(tableName, deadline.Token);
                    if (status == TableStatus.ACTIVE)
                    {
                        return;
                    }
                }
                catch (Exception exception) when (DynamoFailures.IsOutage(exception))
                {
                    LogNotReachable(logger, tableName, exception.Message);
                }

                await Task.Delay(PollInterval, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException(
                $"DynamoDB table {tableName} was not ACTIVE within {StartupTimeout.TotalSeconds} s; " +
                "check Store:ServiceUrl / Store:Region and that DynamoDB is reachable.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<TableStatus> DescribeOrCreateAsync(string tableName, CancellationToken cancellationToken)
    {
        try
        {
            return (await dynamo.DescribeTableAsync(tableName, cancellationToken)).Table.TableStatus;
        }
        catch (ResourceNotFoundException)
        {
            try
            {
                var created = await dynamo.CreateTableAsync(ItemTable.Definition(tableName), cancellationToken);
                LogCreated(logger, tableName);
                return created.TableDescription.TableStatus;
            }
            catch (ResourceInUseException)
            {
                return TableStatus.CREATING; // another replica created it first
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created DynamoDB table {table_name:l} with its indexes")]
    private static partial void LogCreated(ILogger logger, string table_name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DynamoDB not reachable yet for table {table_name:l}: {reason:l}")]
    private static partial void LogNotReachable(ILogger logger, string table_name, string reason);
}
