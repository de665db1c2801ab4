using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using CanaryDemo.Store.V1;
using CanaryDemo.StoreService.Items;

namespace CanaryDemo.StoreService.Data;

/// <summary>
/// Keys and indexes of the single items table. Each index key depends on as few fields as
/// possible, so every write can set the keys it affects without reading the item first:
/// <list type="bullet">
/// <item><c>PK = TENANT#&lt;tenant&gt;</c>, <c>SK = ITEM#&lt;uuid&gt;</c> (table; a tenant's items in id order)</item>
/// <item><c>by-category</c>: <c>CATEGORY_PK = TENANT#&lt;tenant&gt;#CATEGORY#&lt;category&gt;</c>, sort <c>SK</c></item>
/// <item><c>by-status</c>: <c>STATUS_PK = TENANT#&lt;tenant&gt;#STATUS#&lt;status&gt;</c>,
/// sort <c>STATUS_SK = CATEGORY#&lt;category&gt;#ITEM#&lt;uuid&gt;</c> (status, and status + category by prefix)</item>
/// </list>
/// </summary>
internal static class ItemTable
{
    public const string PartitionKey = "PK";
    public const string SortKey = "SK";
    public const string CategoryIndex = "by-category";
    public const string CategoryIndexPartitionKey = "CATEGORY_PK";
    public const string StatusIndex = "by-status";
    public const string StatusIndexPartitionKey = "STATUS_PK";
    public const string StatusIndexSortKey = "STATUS_SK";
    public const string ItemSortKeyPrefix = "ITEM#";

    public static string TenantKey(long tenantId) => $"TENANT#{tenantId}";

    public static string ItemKey(Guid id) => ItemSortKeyPrefix + ItemIds.Format(id);

    public static string CategoryKey(long tenantId, ItemCategory category) =>
        $"TENANT#{tenantId}#CATEGORY#{ItemEnumNames.Categories.NameOf(category)}";

    public static string StatusKey(long tenantId, ItemStatus status) =>
        $"TENANT#{tenantId}#STATUS#{ItemEnumNames.Statuses.NameOf(status)}";

    public static string StatusSortKeyPrefix(ItemCategory category) => $"CATEGORY#{ItemEnumNames.Categories.NameOf(category)}#";

    public static string StatusSortKey(ItemCategory category, Guid id) => StatusSortKeyPrefix(category) + ItemKey(id);

    public static Dictionary<string, AttributeValue> PrimaryKey(long tenantId, Guid id) => new()
    {
        [PartitionKey] = new AttributeValue { S = TenantKey(tenantId) },
        [SortKey] = new AttributeValue { S = ItemKey(id) },
    };

    /// <summary>Index key attributes of an item with the given category and status.</summary>
    public static IEnumerable<KeyValuePair<string, AttributeValue>> IndexKeys(
        long tenantId, Guid id, ItemCategory category, ItemStatus status) =>
    [
        new(CategoryIndexPartitionKey, new AttributeValue { S = CategoryKey(tenantId, category) }),
        new(StatusIndexPartitionKey, new AttributeValue { S = StatusKey(tenantId, status) }),
        new(StatusIndexSortKey, new AttributeValue { S = StatusSortKey(category, id) }),
    ];

    public static CreateTableRequest Definition(string tableName) => new()
    {
        TableName = tableName,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions =
        [
            new AttributeDefinition(PartitionKey, ScalarAttributeType.S),
            new AttributeDefinition(SortKey, ScalarAttributeType.S),
            new AttributeDefinition(CategoryIndexPartitionKey, ScalarAttributeType.S),
            new AttributeDefinition(StatusIndexPartitionKey, ScalarAttributeType.S),
            new AttributeDefinition(StatusIndexSortKey, ScalarAttributeType.S),
        ],
        KeySchema = [new KeySchemaElement(PartitionKey, KeyType.HASH), new KeySchemaElement(SortKey, KeyType.RANGE)],
        GlobalSecondaryIndexes =
        [
            Index(CategoryIndex, CategoryIndexPartitionKey, SortKey),
            Index(StatusIndex, StatusIndexPartitionKey, StatusIndexSortKey),
        ],
    };

    // Full projection: a list page is served from the index alone, without fetching each item.
    private static GlobalSecondaryIndex Index(string name, string partitionKey, string sortKey) => new()
    {
        IndexName = name,
        KeySchema = [new KeySchemaElement(partitionKey, KeyType.HASH), new KeySchemaElement(sortKey, KeyType.RANGE)],
        Projection = new Projection { ProjectionType = ProjectionType.ALL },
    };
}
