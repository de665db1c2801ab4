namespace CanaryDemo.ApiService.Items;

/// <summary>
/// Documented input bounds of the items API (docs/api-service.md, "Bounds"). They equal the
/// store's (docs/store-service.md, "Validation"), so bad input is refused here, before any call.
/// </summary>
internal static class ItemBounds
{
    public const int UserIdMaxLength = 128;
    public const int IdempotencyKeyMaxLength = 100;
}
