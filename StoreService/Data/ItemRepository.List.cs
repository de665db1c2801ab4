using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using CanaryDemo.StoreService.Items;
using CanaryDemo.StoreService.Paging;
using Item = CanaryDemo.Store.V1.Item;

namespace CanaryDemo.StoreService.Data;

internal sealed partial class ItemRepository
{
    private const int SearchBatchSize = 100;

    /// <summary>
    /// One page in index order. Category and status filters are index queries, so a page reads
    /// <c>page_size + 1</c> items (the extra one proves there is a next page). A search also
    /// filters by text and keeps querying until the page is full, the index is exhausted, or
    /// <see cref="ItemLimits.SearchReadBudget"/> items were evaluated (plus one read to learn
    /// whether more exist), or the call's time budget would not hold another query; the next page
    /// then continues after the last item evaluated.
    /// </summary>
    public async Task<ItemPage> ListAsync(ItemListQuery query, CancellationToken cancellationToken)
    {
        var searching = query.Search.Length > 0;
        var budget = searching ? ItemLimits.SearchReadBudget : int.MaxValue;
        var items = new List<Item>(query.PageSize);
        var evaluated = 0;
        var itemsRead = 0;
        var capacityUnits = 0d;
        var startAfter = query.StartAfter;
        var operation = requests.Start(cancellationToken);
        while (true)
        {
            if (searching && evaluated > 0 && !operation.HasRoomForAnotherRequest)
            {
                // A slow DynamoDB: answer with what was found and where to continue, in time.
                return new ItemPage(items, startAfter, itemsRead, capacityUnits);
            }

            var limit = searching
                ? Math.Min(SearchBatchSize, budget - evaluated + 1)
                : query.PageSize + 1 - items.Count;
            var request = BuildQuery(query, startAfter, limit);
            var response = await operation.ReadAsync(token => dynamo.QueryAsync(request, token));
            itemsRead += response.ScannedCount ?? 0;
            capacityUnits += response.ConsumedCapacity?.CapacityUnits ?? 0;
            foreach (var attributes in response.Items ?? [])
            {
                if (evaluated == budget)
                {
                    // Read only to learn that the search has more to go through.
                    return new ItemPage(items, startAfter, itemsRead, capacityUnits);
                }

                evaluated++;
                var item = ItemDocument.ToItem(attributes);
                if (query.Filter.Matches(item))
                {
                    if (items.Count == query.PageSize)
                    {
                        return new ItemPage(items, PositionOf(items[^1]), itemsRead, capacityUnits);
                    }

                    items.Add(item);
                }

                startAfter = PositionOf(item);
            }

            if (response.LastEvaluatedKey is not { Count: > 0 })
            {
                return new ItemPage(items, null, itemsRead, capacityUnits);
            }
        }
    }

    private QueryRequest BuildQuery(ItemListQuery query, ListPosition? startAfter, int limit)
    {
        var tenantId = query.TenantId;
        var request = new QueryRequest
        {
            TableName = _table,
            Limit = limit,
            ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL,
            KeyConditionExpression = "#pk = :pk",
            ExpressionAttributeNames = [],
            ExpressionAttributeValues = [],
        };
        string? sortKey = null, sortKeyPrefix = null;
        if (query.Status is { } status)
        {
            request.IndexName = ItemTable.StatusIndex;
            request.ExpressionAttributeNames["#pk"] = ItemTable.StatusIndexPartitionKey;
            request.ExpressionAttributeValues[":pk"] = ItemDocument.String(ItemTable.StatusKey(tenantId, status));
            if (query.Category is { } category)
            {
                (sortKey, sortKeyPrefix) = (ItemTable.StatusIndexSortKey, ItemTable.StatusSortKeyPrefix(category));
            }
        }
        else if (query.Category is { } category)
        {
            request.IndexName = ItemTable.CategoryIndex;
            request.ExpressionAttributeNames["#pk"] = ItemTable.CategoryIndexPartitionKey;
            request.ExpressionAttributeValues[":pk"] = ItemDocument.String(ItemTable.CategoryKey(tenantId, category));
        }
        else
        {
            request.ExpressionAttributeNames["#pk"] = ItemTable.PartitionKey;
            request.ExpressionAttributeValues[":pk"] = ItemDocument.String(ItemTable.TenantKey(tenantId));
            (sortKey, sortKeyPrefix) = (ItemTable.SortKey, ItemTable.ItemSortKeyPrefix);
        }

        if (sortKey is not null)
        {
            request.KeyConditionExpression += " AND begins_with(#sk, :prefix)";
            request.ExpressionAttributeNames["#sk"] = sortKey;
            request.ExpressionAttributeValues[":prefix"] = ItemDocument.String(sortKeyPrefix!);
        }

        if (startAfter is { } position)
        {
            request.ExclusiveStartKey = ExclusiveStartKey(query, position);
        }

        return request;
    }

    /// <summary>The start key of the queried index, rebuilt from tenant, filter and position.</summary>
    private static Dictionary<string, AttributeValue> ExclusiveStartKey(ItemListQuery query, ListPosition position)
    {
        var key = ItemTable.PrimaryKey(query.TenantId, position.ItemId);
        if (query.Status is { } status)
        {
            key[ItemTable.StatusIndexPartitionKey] = ItemDocument.String(ItemTable.StatusKey(query.TenantId, status));
            key[ItemTable.StatusIndexSortKey] = ItemDocument.String(ItemTable.StatusSortKey(position.Category, position.ItemId));
        }
        else if (query.Category is { } category)
        {
            key[ItemTable.CategoryIndexPartitionKey] = ItemDocument.String(ItemTable.CategoryKey(query.TenantId, category));
        }

        return key;
    }

    private static ListPosition PositionOf(Item item) => new(Guid.Parse(item.Id), item.Category);
}
