namespace CanaryDemo.ApiService.Requests;

/// <summary>Names of the request headers the API reads.</summary>
internal static class RequestHeaders
{
    public const string TenantId = "X-Tenant-ID";
    public const string UserId = "X-User-ID";
    public const string IdempotencyKey = "Idempotency-Key";
    public const string IfMatch = "If-Match";
}
