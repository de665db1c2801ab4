using System.Globalization;
using Amazon.DynamoDBv2.Model;
using CanaryDemo.Store.V1;
using CanaryDemo.StoreService.Items;
using Google.Protobuf.WellKnownTypes;

namespace CanaryDemo.StoreService.Data;

/// <summary>
/// Item attributes as stored in DynamoDB. Prices are DynamoDB numbers written from
/// <see cref="decimal"/> text, so they are exact end to end; timestamps are RFC 3339 UTC strings.
/// </summary>
internal static class ItemDocument
{
    public const string Id = "id";
    public const string TenantId = "tenant_id";
    public const string Name = "name";
    public const string Description = "description";
    public const string Price = "price";
    public const string Category = "category";
    public const string Status = "status";
    public const string Sku = "sku";
    public const string InventoryCount = "inventory_count";
    public const string Tags = "tags";
    public const string CreatedAt = "created_at";
    public const string UpdatedAt = "updated_at";
    public const string CreatedBy = "created_by";
    public const string UpdatedBy = "updated_by";
    public const string Version = "version";

    /// <summary>Digest of the create request, present on items created with an idempotency key.</summary>
    public const string CreateFingerprint = "create_fingerprint";

    /// <summary>Map of recently applied inventory idempotency keys (see <see cref="InventoryKeySlots"/>).</summary>
    public const string InventoryKeys = "inventory_keys";

    public static Dictionary<string, AttributeValue> ForNewItem(
        Guid id, NewItem item, DateTimeOffset now, string? createFingerprint)
    {
        var fields = item.Fields;
        var attributes = new Dictionary<string, AttributeValue>(ItemTable.PrimaryKey(item.TenantId, id))
        {
            [Id] = String(ItemIds.Format(id)),
            [TenantId] = Number(item.TenantId),
            [Name] = String(fields.Name),
            [Description] = String(fields.Description),
            [Price] = Number(fields.Price),
            [Category] = String(ItemEnumNames.Categories.NameOf(fields.Category)),
            [Status] = String(ItemEnumNames.Statuses.NameOf(fields.Status)),
            [Sku] = String(fields.Sku),
            [InventoryCount] = Number(item.InventoryCount),
            [Tags] = List(fields.Tags),
            [CreatedAt] = Timestamp(now),
            [UpdatedAt] = Timestamp(now),
            [CreatedBy] = String(item.CreatedBy),
            [UpdatedBy] = String(item.CreatedBy),
            [Version] = Number(1),
            [InventoryKeys] = new AttributeValue { M = [] },
        };
        foreach (var (name, value) in ItemTable.IndexKeys(item.TenantId, id, fields.Category, fields.Status))
        {
            attributes[name] = value;
        }

        if (createFingerprint is not null)
        {
            attributes[CreateFingerprint] = String(createFingerprint);
        }

        return attributes;
    }

    public static Item ToItem(Dictionary<string, AttributeValue> attributes)
    {
        var item = new Item
        {
            Id = attributes[Id].S,
            TenantId = ReadLong(attributes[TenantId]),
            Name = attributes[Name].S,
            Description = attributes[Description].S,
            Price = ReadPrice(attributes[Price]),
            Category = ReadName(ItemEnumNames.Categories, attributes[Category]),
            Status = ReadName(ItemEnumNames.Statuses, attributes[Status]),
            Sku = attributes[Sku].S,
            InventoryCount = ReadLong(attributes[InventoryCount]),
            CreatedAt = ReadTimestamp(attributes[CreatedAt]),
            UpdatedAt = ReadTimestamp(attributes[UpdatedAt]),
            CreatedBy = attributes[CreatedBy].S,
            UpdatedBy = attributes[UpdatedBy].S,
            Version = ReadLong(attributes[Version]),
        };
        if (attributes[Tags].L is { } tags)
        {
            item.Tags.AddRange(tags.Select(tag => tag.S));
        }

        return item;
    }

    public static AttributeValue String(string value) => new() { S = value };

    public static AttributeValue Number(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    public static AttributeValue Number(decimal value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    public static AttributeValue List(IEnumerable<string> values) => new() { L = [.. values.Select(String)] };

    public static AttributeValue Timestamp(DateTimeOffset value) =>
        String(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));

    public static long ReadLong(AttributeValue value) => long.Parse(value.N, CultureInfo.InvariantCulture);

    /// <summary>Stored prices passed validation, so they convert exactly; anything else is corrupt data.</summary>
    private static DecimalValue ReadPrice(AttributeValue value) =>
        DecimalValue.TryFromDecimal(decimal.Parse(value.N, NumberStyles.Float, CultureInfo.InvariantCulture), out var price)
            ? price
            : throw new FormatException($"Stored price {value.N} is not an exact DecimalValue.");

    private static TEnum ReadName<TEnum>(EnumNames<TEnum> names, AttributeValue value)
        where TEnum : struct, System.Enum =>
        names.TryParse(value.S, out var parsed) ? parsed : throw new FormatException($"Unknown stored {typeof(TEnum).Name} '{value.S}'.");

    private static Timestamp ReadTimestamp(AttributeValue value) =>
        Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(
            DateTimeOffset.Parse(value.S, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));
}
