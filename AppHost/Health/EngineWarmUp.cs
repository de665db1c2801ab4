using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace CanaryDemo.AppHost.Health;

/// <summary>
/// Eighty requests of the kinds the store sends (conditional puts and updates, reads, index
/// queries) on a scratch table, then the table is deleted. DynamoDB Local's JVM answers its first
/// requests after a start in up to seconds while it loads and compiles their code paths; the store
/// gives a DynamoDB request one second, so without this the first requests would measure the JIT.
/// </summary>
internal static class EngineWarmUp
{
    private const int Rounds = 20;

    public static async Task RunAsync(IAmazonDynamoDB client, CancellationToken cancellationToken)
    {
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
        }, cancellationToken);
        await Parallel.ForEachAsync(Enumerable.Range(0, Rounds), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (i, token) =>
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
        await client.DeleteTableAsync(table, cancellationToken);
    }
}
