namespace CanaryDemo.StoreService.Items;

/// <summary>The documented bounds of every input (docs/store-service.md lists them).</summary>
internal static class ItemLimits
{
    public const int NameMaxLength = 200;
    public const int DescriptionMaxLength = 2000;
    public const int SkuMaxLength = 64;
    public const int MaxTags = 20;
    public const int TagMaxLength = 50;
    public const int ActorMaxLength = 128;
    public const int ReasonMaxLength = 500;
    public const int IdempotencyKeyMaxLength = 100;
    public const int SearchMaxLength = 100;
    public const int PriceMaxDecimals = 2;
    public const decimal PriceExclusiveMaximum = 1_000_000_000m;
    public const long InventoryMaximum = 1_000_000_000;
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    /// <summary>Items a search may read in one ListItems call before it returns what it found and a token.</summary>
    public const int SearchReadBudget = 1000;
}
