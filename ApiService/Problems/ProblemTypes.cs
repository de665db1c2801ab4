namespace CanaryDemo.ApiService.Problems;

/// <summary>
/// Stable RFC 9457 <c>type</c> URIs, one per error kind, documented in docs/api-service.md.
/// They are identifiers, not links: the reserved <c>.example</c> domain never resolves and can
/// never be claimed by someone else.
/// </summary>
internal static class ProblemTypes
{
    private const string Base = "https://canarydemo.example/problems/";

    public const string ValidationFailed = Base + "validation-failed";
    public const string MalformedJson = Base + "malformed-json";
    public const string UnsupportedMediaType = Base + "unsupported-media-type";
    public const string UnsupportedContentEncoding = Base + "unsupported-content-encoding";
    public const string PayloadTooLarge = Base + "payload-too-large";
    public const string BadRequest = Base + "bad-request";
    public const string RouteNotFound = Base + "route-not-found";
    public const string MethodNotAllowed = Base + "method-not-allowed";
    public const string Unauthenticated = Base + "unauthenticated";
    public const string TenantMismatch = Base + "tenant-mismatch";
    public const string AuthenticationUnavailable = Base + "authentication-unavailable";
    public const string ItemNotFound = Base + "item-not-found";
    public const string ItemAlreadyExists = Base + "item-already-exists";
    public const string IdempotencyKeyReused = Base + "idempotency-key-reused";
    public const string InsufficientInventory = Base + "insufficient-inventory";
    public const string InventoryLimitExceeded = Base + "inventory-limit-exceeded";
    public const string Conflict = Base + "conflict";
    public const string VersionMismatch = Base + "version-mismatch";
    public const string StoreUnavailable = Base + "store-unavailable";
    public const string StoreTimeout = Base + "store-timeout";
    public const string WriteOutcomeUnknown = Base + "write-outcome-unknown";
    public const string InternalError = Base + "internal-error";

    /// <summary>Every type above, for the OpenAPI document.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        ValidationFailed, MalformedJson, UnsupportedMediaType, UnsupportedContentEncoding, PayloadTooLarge, BadRequest, RouteNotFound, MethodNotAllowed,
        Unauthenticated, TenantMismatch, AuthenticationUnavailable, ItemNotFound, ItemAlreadyExists, IdempotencyKeyReused,
        InsufficientInventory, InventoryLimitExceeded, Conflict, VersionMismatch, StoreUnavailable, StoreTimeout,
        WriteOutcomeUnknown, InternalError,
    ];
}
