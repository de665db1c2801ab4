namespace CanaryDemo.StoreService.Items;

/// <summary>
/// A request the store refuses for a reason the caller can act on. The domain raises these; only
/// the gRPC boundary (Grpc/StoreErrors) decides the status code and the words callers see.
/// </summary>
internal abstract class ItemRejection(string message) : Exception(message);

/// <summary>Fields that break the documented rules, every one of them.</summary>
internal sealed class InvalidItemRequest(IReadOnlyList<FieldError> errors)
    : ItemRejection(string.Join("; ", errors.Select(error => $"{error.Field}: {error.Message}")))
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;
}

/// <summary>No item with this id for this tenant (another tenant's item is indistinguishable from a missing one).</summary>
internal sealed class ItemNotFound(Guid id) : ItemRejection($"item {ItemIds.Format(id)} not found")
{
    public Guid Id { get; } = id;
}

/// <summary>A create found the item's id taken (an idempotent create with another body, or a UUIDv7 collision).</summary>
internal sealed class ItemAlreadyExists(Guid id) : ItemRejection($"item {ItemIds.Format(id)} already exists")
{
    public Guid Id { get; } = id;
}

/// <summary>The idempotency key already created an item with different content.</summary>
internal sealed class IdempotencyKeyReused() : ItemRejection("idempotency key reused with different content");

/// <summary>An update's expected version is not the item's current one.</summary>
internal sealed class ItemVersionMismatch(long expected, long current)
    : ItemRejection($"expected version {expected}, current version {current}")
{
    public long Expected { get; } = expected;

    public long Current { get; } = current;
}

/// <summary>A decrease larger than the stock.</summary>
internal sealed class InsufficientInventory(long inStock, long requested)
    : ItemRejection($"{inStock} in stock, {requested} requested")
{
    public long InStock { get; } = inStock;

    public long Requested { get; } = requested;
}

/// <summary>An increase that would take the stock above <see cref="ItemLimits.InventoryMaximum"/>.</summary>
internal sealed class InventoryLimitExceeded(long inStock, long added) : ItemRejection($"{inStock} in stock, {added} added")
{
    public long InStock { get; } = inStock;

    public long Added { get; } = added;
}
