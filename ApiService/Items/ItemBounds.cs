namespace CanaryDemo.ApiService.Items;

/// <summary>
/// Documented input bounds of the items API (docs/api-service.md, "Bounds"). They equal the
/// store's (docs/store-service.md, "Validation"), so bad input is refused here, before any call.
/// </summary>
internal static class ItemBounds
{
    public const int NameMaxLength = 200;
    public const int DescriptionMaxLength = 2_000;
    public const int SkuMaxLength = 64;
    public const int TagsMaxCount = 20;
    public const int TagMaxLength = 50;
    public const decimal PriceExclusiveMax = 1_000_000_000m;
    public const int PriceMaxDecimals = 2;
    public const long InventoryCountMax = 1_000_000_000;
    public const long QuantityChangeMax = 1_000_000_000;
    public const int ReasonMaxLength = 500;
    public const int UserIdMaxLength = 128;
    public const int SearchMaxLength = 100;
    public const int IdempotencyKeyMaxLength = 100;
    public const int PageSizeMax = 100;
    public const int PageTokenMaxLength = 2_048;
}
