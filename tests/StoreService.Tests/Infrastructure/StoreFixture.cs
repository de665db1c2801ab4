using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using GetItemRequest = CanaryDemo.Store.V1.GetItemRequest;
using Item = CanaryDemo.Store.V1.Item;
using StoreClient = CanaryDemo.Store.V1.StoreService.StoreServiceClient;

namespace CanaryDemo.StoreService.Tests.Infrastructure;

/// <summary>
/// One in-memory local DynamoDB (the engine LocalDynamoDb picks) and one StoreService process shared by the "store" collection. Tests
/// isolate themselves by tenant (<see cref="NewTenant"/>), not by process.
/// </summary>
public sealed class StoreFixture : IAsyncLifetime
{
    public const string TableName = "store-items";

    private readonly ProcessGroup _processes = new();
    private long _lastTenant = 1000;
    private StoreServiceProcess? _service;

    internal StoreServiceProcess Service => _service!;

    public StoreClient Client { get; private set; } = null!;

    /// <summary>Direct access to the table, to check what the service did (or did not) write.</summary>
    public IAmazonDynamoDB Table { get; private set; } = null!;

    public long NewTenant() => Interlocked.Increment(ref _lastTenant);

    public async Task<Item> GetItemAsync(long tenantId, string id) =>
        (await Client.GetItemAsync(new GetItemRequest { TenantId = tenantId, Id = id })).Item;

    public Task InitializeAsync() => _processes.StartAsync(async () =>
    {
        var dynamo = await _processes.AddAsync(LocalDynamoDb.StartAsync());
        var environment = StoreServiceProcess.BaseEnvironment(dynamo.Url, TableName);
        _service = await _processes.AddAsync(StoreServiceProcess.StartServingAsync(environment));
        Client = new StoreClient(_service.Channel);
        // The service's own credentials and region: a local DynamoDB may keep tables apart by them.
        Table = new AmazonDynamoDBClient(
            new BasicAWSCredentials(environment["AWS_ACCESS_KEY_ID"], environment["AWS_SECRET_ACCESS_KEY"]),
            new AmazonDynamoDBConfig { ServiceURL = dynamo.Url, AuthenticationRegion = environment["Store__Region"] });
    });

    /// <summary>Every stored row of a tenant, read straight from the table.</summary>
    public async Task<List<Dictionary<string, AttributeValue>>> StoredRowsAsync(long tenantId)
    {
        var rows = new List<Dictionary<string, AttributeValue>>();
        Dictionary<string, AttributeValue>? startKey = null;
        do
        {
            var page = await Table.QueryAsync(new QueryRequest
            {
                TableName = TableName,
                KeyConditionExpression = "PK = :pk",
                ExpressionAttributeValues = new() { [":pk"] = new AttributeValue { S = $"TENANT#{tenantId}" } },
                ExclusiveStartKey = startKey,
                ConsistentRead = true,
            });
            rows.AddRange(page.Items ?? []);
            startKey = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (startKey is not null);

        return rows;
    }

    public async Task DisposeAsync()
    {
        Table?.Dispose();
        await _processes.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class StoreCollection : ICollectionFixture<StoreFixture>
{
    public const string Name = "store";
}
