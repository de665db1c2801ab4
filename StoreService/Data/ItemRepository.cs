using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using CanaryDemo.StoreService.Configuration;
using CanaryDemo.StoreService.Items;
using Microsoft.Extensions.Options;
using Item = CanaryDemo.Store.V1.Item;
using ItemEnumNames = CanaryDemo.Store.V1.ItemEnumNames;
using ItemStatus = CanaryDemo.Store.V1.ItemStatus;

namespace CanaryDemo.StoreService.Data;

/// <summary>
/// Items in DynamoDB. Every write is one conditional request (dynalite has no transactions): no
/// write creates an item that does not exist, every write bumps <c>version</c>, and inventory
/// changes are a single atomic <c>ADD</c>. Every request goes through <see cref="DynamoRequests"/>,
/// which bounds each call and says what a failure left behind.
/// </summary>
internal sealed partial class ItemRepository(
    IAmazonDynamoDB dynamo, DynamoRequests requests, IOptions<StoreOptions> options, TimeProvider time, ItemMetrics metrics)
{
    private const string ItemExists = "attribute_exists(#PK)";

    private static readonly AttributeValue One = ItemDocument.Number(1);

    private readonly string _table = options.Value.TableName;

    public async Task<Item> CreateAsync(NewItem item, CancellationToken cancellationToken)
    {
        var id = item.IdempotencyKey is null
            ? ItemIds.NewId(time)
            : ItemIds.FromIdempotencyKey(item.TenantId, item.IdempotencyKey);
        var fingerprint = item.IdempotencyKey is null ? null : CreateFingerprint.Of(item);
        var attributes = ItemDocument.ForNewItem(id, item, time.GetUtcNow(), fingerprint);
        var request = new PutItemRequest
        {
            TableName = _table,
            Item = attributes,
            ConditionExpression = "attribute_not_exists(#PK)",
            ExpressionAttributeNames = new() { ["#PK"] = ItemTable.PartitionKey },
            ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
        };
        var operation = requests.Start(cancellationToken);
        try
        {
            await operation.WriteAsync(token => dynamo.PutItemAsync(request, token));
            metrics.ItemCreated();
            return ItemDocument.ToItem(attributes);
        }
        catch (ConditionalCheckFailedException failure)
        {
            if (fingerprint is null)
            {
                throw new ItemAlreadyExists(id); // a UUIDv7 collision: not expected to happen
            }

            var existing = await ItemAfterFailedConditionAsync(failure, item.TenantId, id, operation);
            // A retry of the same create returns the item (as it is now); another body is a conflict.
            return existing is not null &&
                   existing.TryGetValue(ItemDocument.CreateFingerprint, out var stored) && stored.S == fingerprint
                ? ItemDocument.ToItem(existing)
                : throw new IdempotencyKeyReused();
        }
    }

    public async Task<Item> GetAsync(long tenantId, Guid id, CancellationToken cancellationToken)
    {
        var attributes = await ReadAsync(tenantId, id, requests.Start(cancellationToken));
        return attributes is null ? throw new ItemNotFound(id) : ItemDocument.ToItem(attributes);
    }

    public async Task<Item> ReplaceAsync(ItemReplacement replacement, CancellationToken cancellationToken)
    {
        var (tenantId, id, fields, updatedBy, expectedVersion) = replacement;
        var request = new UpdateItemRequest
        {
            TableName = _table,
            Key = ItemTable.PrimaryKey(tenantId, id),
            UpdateExpression =
                "SET #name = :name, #description = :description, #price = :price, #category = :category, " +
                "#status = :status, #sku = :sku, #tags = :tags, #updated_at = :now, #updated_by = :by, " +
                "#CATEGORY_PK = :CATEGORY_PK, #STATUS_PK = :STATUS_PK, #STATUS_SK = :STATUS_SK ADD #version :one",
            ConditionExpression = expectedVersion is null ? ItemExists : $"{ItemExists} AND #version = :expected",
            ExpressionAttributeNames = Names(
                ItemTable.PartitionKey, ItemTable.CategoryIndexPartitionKey, ItemTable.StatusIndexPartitionKey,
                ItemTable.StatusIndexSortKey, ItemDocument.Name, ItemDocument.Description, ItemDocument.Price,
                ItemDocument.Category, ItemDocument.Status, ItemDocument.Sku, ItemDocument.Tags,
                ItemDocument.UpdatedAt, ItemDocument.UpdatedBy, ItemDocument.Version),
            ExpressionAttributeValues = new()
            {
                [":name"] = ItemDocument.String(fields.Name),
                [":description"] = ItemDocument.String(fields.Description),
                [":price"] = ItemDocument.Number(fields.Price),
                [":category"] = ItemDocument.String(ItemEnumNames.Categories.NameOf(fields.Category)),
                [":status"] = ItemDocument.String(ItemEnumNames.Statuses.NameOf(fields.Status)),
                [":sku"] = ItemDocument.String(fields.Sku),
                [":tags"] = ItemDocument.List(fields.Tags),
                [":now"] = ItemDocument.Timestamp(time.GetUtcNow()),
                [":by"] = ItemDocument.String(updatedBy),
                [":one"] = One,
            },
            ReturnValues = ReturnValue.ALL_NEW,
            ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
        };
        foreach (var (name, value) in ItemTable.IndexKeys(tenantId, id, fields.Category, fields.Status))
        {
            request.ExpressionAttributeValues[":" + name] = value;
        }

        if (expectedVersion is { } expected)
        {
            request.ExpressionAttributeValues[":expected"] = ItemDocument.Number(expected);
        }

        var operation = requests.Start(cancellationToken);
        try
        {
            var response = await operation.WriteAsync(token => dynamo.UpdateItemAsync(request, token));
            return ItemDocument.ToItem(response.Attributes);
        }
        catch (ConditionalCheckFailedException failure)
        {
            var current = await ItemAfterFailedConditionAsync(failure, tenantId, id, operation);
            throw current is null
                ? (ItemRejection)new ItemNotFound(id)
                : new ItemVersionMismatch(
                    expectedVersion ?? 0, ItemDocument.ReadLong(current[ItemDocument.Version]));
        }
    }

    /// <summary>Soft delete: the item stays readable with status <c>discontinued</c>.</summary>
    public async Task<Item> DiscontinueAsync(ItemDeletion deletion, CancellationToken cancellationToken)
    {
        var (tenantId, id, updatedBy) = deletion;
        // The status index's sort key holds the category, which a delete does not change, so
        // only the status index's partition key moves and no read is needed.
        var request = new UpdateItemRequest
        {
            TableName = _table,
            Key = ItemTable.PrimaryKey(tenantId, id),
            UpdateExpression =
                "SET #status = :status, #STATUS_PK = :STATUS_PK, #updated_at = :now, #updated_by = :by ADD #version :one",
            ConditionExpression = ItemExists,
            ExpressionAttributeNames = Names(
                ItemTable.PartitionKey, ItemTable.StatusIndexPartitionKey, ItemDocument.Status,
                ItemDocument.UpdatedAt, ItemDocument.UpdatedBy, ItemDocument.Version),
            ExpressionAttributeValues = new()
            {
                [":status"] = ItemDocument.String(ItemEnumNames.Statuses.NameOf(ItemStatus.Discontinued)),
                [":STATUS_PK"] = ItemDocument.String(ItemTable.StatusKey(tenantId, ItemStatus.Discontinued)),
                [":now"] = ItemDocument.Timestamp(time.GetUtcNow()),
                [":by"] = ItemDocument.String(updatedBy),
                [":one"] = One,
            },
            ReturnValues = ReturnValue.ALL_NEW,
        };
        var operation = requests.Start(cancellationToken);
        try
        {
            var response = await operation.WriteAsync(token => dynamo.UpdateItemAsync(request, token));
            return ItemDocument.ToItem(response.Attributes);
        }
        catch (ConditionalCheckFailedException)
        {
            throw new ItemNotFound(id);
        }
    }

    /// <summary>
    /// Adds the change in one conditional <c>ADD</c>: concurrent changes never get lost and the
    /// count never leaves 0..<see cref="ItemLimits.InventoryMaximum"/>. Returns the item after the
    /// change and the count before it.
    /// </summary>
    public async Task<(Item Item, long PreviousCount)> ChangeInventoryAsync(
        InventoryChange change, CancellationToken cancellationToken)
    {
        var (tenantId, id, quantityChange, _, updatedBy, idempotencyKey) = change;
        var slot = idempotencyKey is null ? null : InventoryKeySlots.SlotOf(idempotencyKey);
        var request = new UpdateItemRequest
        {
            TableName = _table,
            Key = ItemTable.PrimaryKey(tenantId, id),
            UpdateExpression =
                "SET #updated_at = :now, #updated_by = :by" + (slot is null ? "" : ", #inventory_keys.#slot = :key") +
                " ADD #inventory_count :change, #version :one",
            ConditionExpression =
                ItemExists + (quantityChange < 0 ? " AND #inventory_count >= :bound" : " AND #inventory_count <= :bound") +
                (slot is null ? "" : " AND (attribute_not_exists(#inventory_keys.#slot) OR #inventory_keys.#slot <> :key)"),
            ExpressionAttributeNames = Names(
                ItemTable.PartitionKey, ItemDocument.InventoryCount, ItemDocument.UpdatedAt, ItemDocument.UpdatedBy,
                ItemDocument.Version),
            ExpressionAttributeValues = new()
            {
                [":now"] = ItemDocument.Timestamp(time.GetUtcNow()),
                [":by"] = ItemDocument.String(updatedBy),
                [":change"] = ItemDocument.Number(quantityChange),
                [":one"] = One,
                [":bound"] = ItemDocument.Number(
                    quantityChange < 0 ? -quantityChange : ItemLimits.InventoryMaximum - quantityChange),
            },
            ReturnValues = ReturnValue.ALL_NEW,
            ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
        };
        if (slot is not null)
        {
            request.ExpressionAttributeNames["#inventory_keys"] = ItemDocument.InventoryKeys;
            request.ExpressionAttributeNames["#slot"] = slot;
            request.ExpressionAttributeValues[":key"] = ItemDocument.String(idempotencyKey!);
        }

        var operation = requests.Start(cancellationToken);
        try
        {
            var response = await operation.WriteAsync(token => dynamo.UpdateItemAsync(request, token));
            metrics.InventoryChanged();
            var item = ItemDocument.ToItem(response.Attributes);
            return (item, item.InventoryCount - quantityChange);
        }
        catch (ConditionalCheckFailedException failure)
        {
            var current = await ItemAfterFailedConditionAsync(failure, tenantId, id, operation)
                ?? throw new ItemNotFound(id);
            if (slot is not null && current.TryGetValue(ItemDocument.InventoryKeys, out var keys) &&
                keys.M?.GetValueOrDefault(slot)?.S == idempotencyKey)
            {
                // Already applied under this key: nothing changes now.
                var item = ItemDocument.ToItem(current);
                return (item, item.InventoryCount);
            }

            var inStock = ItemDocument.ReadLong(current[ItemDocument.InventoryCount]);
            if (quantityChange >= 0)
            {
                throw new InventoryLimitExceeded(inStock, quantityChange);
            }

            metrics.InsufficientStock();
            throw new InsufficientInventory(inStock, -quantityChange);
        }
    }

    private async Task<Dictionary<string, AttributeValue>?> ReadAsync(
        long tenantId, Guid id, DynamoRequests.Operation operation)
    {
        var request = new GetItemRequest
        {
            TableName = _table,
            Key = ItemTable.PrimaryKey(tenantId, id),
            ConsistentRead = true,
        };
        var response = await operation.ReadAsync(token => dynamo.GetItemAsync(request, token));
        return response.Item is { Count: > 0 } item ? item : null;
    }

    /// <summary>
    /// The item as it was when a condition failed, to tell the caller why. DynamoDB returns it with
    /// the failure (ReturnValuesOnConditionCheckFailure); dynalite does not implement that, so
    /// there (and for a missing item) one consistent read of the same key answers instead.
    /// </summary>
    private async Task<Dictionary<string, AttributeValue>?> ItemAfterFailedConditionAsync(
        ConditionalCheckFailedException failure, long tenantId, Guid id, DynamoRequests.Operation operation) =>
        failure.Item is { Count: > 0 } item ? item : await ReadAsync(tenantId, id, operation);

    private static Dictionary<string, string> Names(params ReadOnlySpan<string> attributes)
    {
        var names = new Dictionary<string, string>(attributes.Length);
        foreach (var attribute in attributes)
        {
            names["#" + attribute] = attribute;
        }

        return names;
    }
}
