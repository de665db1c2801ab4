using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace CanaryDemo.ApiService.Requests;

/// <summary>
/// Who is calling: the tenant from <c>X-Tenant-ID</c> (required, positive 64-bit integer, no
/// default tenant) and the optional user from <c>X-User-ID</c>. Handlers receive it as a
/// parameter once <see cref="CallerHeadersMiddleware"/> has checked the headers' format. The
/// user's length is the store's created_by/updated_by rule, judged where the user is recorded.
/// </summary>
internal sealed record RequestCaller(long TenantId, string UserId)
{
    public static ValueTask<RequestCaller?> BindAsync(HttpContext context) =>
        ValueTask.FromResult(context.Features.Get<RequestCaller>());

    public static RequestCaller? Parse(StringValues tenantHeader, StringValues userHeader, FieldErrors errors)
    {
        long tenantId = 0;
        if (tenantHeader.Count == 0)
        {
            errors.Add(RequestHeaders.TenantId, "header is required");
        }
        else if (tenantHeader.Count > 1
            || !long.TryParse(tenantHeader[0], NumberStyles.None, CultureInfo.InvariantCulture, out tenantId)
            || tenantId <= 0)
        {
            errors.Add(RequestHeaders.TenantId, "must be a positive 64-bit integer");
        }

        var userId = string.Empty;
        if (userHeader.Count > 1)
        {
            errors.Add(RequestHeaders.UserId, "must be a single value");
        }
        else if (userHeader.Count == 1)
        {
            userId = userHeader[0] ?? string.Empty;
            if (userId.Length == 0 || !userId.All(IsVisibleAscii))
            {
                errors.Add(RequestHeaders.UserId, "must be visible ASCII characters (no spaces)");
            }
        }

        return errors.IsEmpty ? new RequestCaller(tenantId, userId) : null;
    }

    private static bool IsVisibleAscii(char c) => c is >= '!' and <= '~';
}
