using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace CanaryDemo.Testing;

/// <summary>
/// Eighty requests of the kinds the store sends (conditional puts and updates, reads,
/// index queries) on a scratch table, then the table is deleted. DynamoDB Local's JVM answers its
/// first requests after a start in up to seconds while it loads and compiles their code paths;
/// the store gives a DynamoDB request one second, so without this the first tests of a suite
/// would measure the JIT instead of the store.
/// </summary>
internal static class EngineWarmUp
{
    private const int Rounds = 20;

    /// <summary>Waits until the engine answers a request at all; listening comes seconds earlier for a JVM.</summary>
    public static async Task FirstAnswerAsync(string url, TimeSpan timeout)
    {
        using var client = Client(url);
        using var deadline = new CancellationTokenSource(timeout);
        await client.ListTablesAsync(new ListTablesRequest(), deadline.Token);
    }

    public static async Task RunAsync(string url)
    {
        using var client = Client(url);
        var table = $"warm-up-{Guid.NewGuid():N}";
        await client.CreateTableAsync(new CreateTableRequest
        {
            TableName = table,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new("PK", ScalarAttributeType.S), new("SK", ScalarAttributeType.S), new("G", ScalarAttributeType.S)],
            KeySchema = [new("PK", KeyType.HASH), new("SK", KeyType.RANGE)],
            GlobalSecondaryIndexes =
            [
                new GlobalSecondaryIndex
                {
                    IndexName = "by-g",
                    KeySchema = [new("G", KeyType.HASH), new("SK", KeyType.RANGE)],
                    Projection = new Projection { ProjectionType = ProjectionType.ALL },
                },
            ],
        });
        await Parallel.ForEachAsync(Enumerable.Range(0, Rounds), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, token) =>
        {
            var key = new Dictionary<string, AttributeValue> { ["PK"] = new() { S = "p" }, ["SK"] = new() { S = $"i{i}" } };
            await client.PutItemAsync(new PutItemRequest
            {
                TableName = table,
                Item = new(key) { ["G"] = new() { S = "g" }, ["n"] = new() { N = "1" } },
                ConditionExpression = "attribute_not_exists(PK)",
            }, token);
            await client.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = table,
                Key = key,
                UpdateExpression = "ADD n :one",
                ConditionExpression = "attribute_exists(PK) AND n >= :one",
                ExpressionAttributeValues = new() { [":one"] = new() { N = "1" } },
                ReturnValues = ReturnValue.ALL_NEW,
            }, token);
            await client.GetItemAsync(new GetItemRequest { TableName = table, Key = key, ConsistentRead = true }, token);
            await client.QueryAsync(new QueryRequest
            {
                TableName = table,
                IndexName = "by-g",
                KeyConditionExpression = "G = :g",
                ExpressionAttributeValues = new() { [":g"] = new() { S = "g" } },
                Limit = 21,
            }, token);
        });
        await client.DeleteTableAsync(table);
    }

    private static AmazonDynamoDBClient Client(string url) => new(
        new BasicAWSCredentials("local", "local"),
        new AmazonDynamoDBConfig { ServiceURL = url, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
}
