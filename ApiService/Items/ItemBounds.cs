namespace CanaryDemo.ApiService.Items;

/// <summary>
/// Documented input bounds of the items API (docs/api-service.md, "Bounds"). They equal the
/// store's (docs/store-service.md, "Validation"), so bad input is refused here, before any call.
/// </summary>
internal static class ItemBounds
{
    public const int UserIdMaxLength = 128;
    public const int SearchMaxLength = 100;
    public const int IdempotencyKeyMaxLength = 100;
    public const int PageSizeMax = 100;
    public const int PageTokenMaxLength = 2_048;
}
