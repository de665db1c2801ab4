using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using CanaryDemo.AppHost;
using GetItemRequest = CanaryDemo.Store.V1.GetItemRequest;
using Item = CanaryDemo.Store.V1.Item;
using StoreClient = CanaryDemo.Store.V1.StoreService.StoreServiceClient;

namespace CanaryDemo.StoreService.Tests.Infrastructure;

/// <summary>
/// The AppHost's stack without the api (<see cref="LocalStackApp"/>): one in-memory local DynamoDB (the
/// engine <see cref="LocalEngine"/> names) and one StoreService process, shared by the "store" collection.
/// Tests isolate themselves by tenant (<see cref="NewTenant"/>), not by process.
/// </summary>
public sealed class StoreFixture : IAsyncLifetime
{
    public static readonly string TableName = LocalServices.StoreTable();

    private long _lastTenant = 1000;
    private LocalStackApp? _stack;

    internal StackService Service => _stack!.Store;

    public StoreClient Client { get; private set; } = null!;

    /// <summary>Direct access to the table, to check what the service did (or did not) write.</summary>
    public IAmazonDynamoDB Table { get; private set; } = null!;

    public long NewTenant() => Interlocked.Increment(ref _lastTenant);

    public async Task<Item> GetItemAsync(long tenantId, string id) =>
        (await Client.GetItemAsync(new GetItemRequest { TenantId = tenantId, Id = id })).Item;

    public async Task InitializeAsync()
    {
        _stack = await LocalStackApp.StartAsync(new StackSettings { Api = false });
        Client = new StoreClient(Service.Channel);
        // The service's own credentials and region: a local DynamoDB may keep tables apart by them.
        var environment = LocalServices.Store(_stack.Engine.Address, TableName, "", 0, LocalServices.StableTrack);
        Table = new AmazonDynamoDBClient(
            new BasicAWSCredentials(environment["AWS_ACCESS_KEY_ID"], environment["AWS_SECRET_ACCESS_KEY"]),
            new AmazonDynamoDBConfig { ServiceURL = _stack.Engine.Address, AuthenticationRegion = environment["Store__Region"] });
    }

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
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class StoreCollection : ICollectionFixture<StoreFixture>
{
    public const string Name = "store";
}
