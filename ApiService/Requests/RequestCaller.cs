using System.Globalization;
using System.Security.Claims;
using Microsoft.Extensions.Primitives;

namespace CanaryDemo.ApiService.Requests;

/// <summary>
/// Who is calling: the tenant (required, positive 64-bit integer, no default tenant) and the user
/// recorded as created_by/updated_by. In <c>Header</c> mode both come from <c>X-Tenant-ID</c> and
/// the optional <c>X-User-ID</c>; in <c>Jwt</c> mode from claims of a validated bearer token
/// (<see cref="UserVerified"/>). Handlers receive it as a parameter once
/// <see cref="CallerHeadersMiddleware"/> has established it. The user's length is the store's
/// created_by/updated_by rule, judged where the user is recorded.
/// </summary>
internal sealed record RequestCaller(long TenantId, string UserId, bool UserVerified = false)
{
    public static ValueTask<RequestCaller?> BindAsync(HttpContext context) =>
        ValueTask.FromResult(context.Features.Get<RequestCaller>());

    /// <summary>The caller named by the headers (<c>Header</c> mode); null with the reasons in <paramref name="errors"/>.</summary>
    public static RequestCaller? Parse(StringValues tenantHeader, StringValues userHeader, FieldErrors errors)
    {
        var tenantId = ParseTenantHeader(tenantHeader, errors, required: true);

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

        return errors.IsEmpty ? new RequestCaller(tenantId!.Value, userId) : null;
    }

    /// <summary>
    /// The caller named by a validated token's claims (<c>Jwt</c> mode): the tenant claim must hold
    /// exactly one positive 64-bit integer and the user claim one non-empty value. Null when not.
    /// </summary>
    public static RequestCaller? FromClaims(ClaimsPrincipal principal, string tenantClaim, string userClaim)
    {
        var tenants = principal.FindAll(tenantClaim).ToArray();
        var users = principal.FindAll(userClaim).ToArray();
        return tenants is [var tenant] && TryParseTenant(tenant.Value, out var tenantId) && users is [var user] && user.Value.Length > 0
            ? new RequestCaller(tenantId, user.Value, UserVerified: true)
            : null;
    }

    /// <summary>
    /// <c>X-Tenant-ID</c> by the header rule: absent is null (an error only when <paramref name="required"/>),
    /// several values or anything but a positive 64-bit integer is an error.
    /// </summary>
    public static long? ParseTenantHeader(StringValues tenantHeader, FieldErrors errors, bool required)
    {
        if (tenantHeader.Count == 0)
        {
            if (required)
            {
                errors.Add(RequestHeaders.TenantId, "header is required");
            }

            return null;
        }

        if (tenantHeader.Count > 1 || !TryParseTenant(tenantHeader[0], out var tenantId))
        {
            errors.Add(RequestHeaders.TenantId, "must be a positive 64-bit integer");
            return null;
        }

        return tenantId;
    }

    /// <summary>ASCII digits only (leading zeros allowed: <c>007</c> is tenant 7), within 1..<see cref="long.MaxValue"/>.</summary>
    private static bool TryParseTenant(string? value, out long tenantId) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out tenantId) && tenantId > 0;

    private static bool IsVisibleAscii(char c) => c is >= '!' and <= '~';
}
