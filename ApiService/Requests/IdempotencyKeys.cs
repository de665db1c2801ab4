using CanaryDemo.ApiService.Items;

namespace CanaryDemo.ApiService.Requests;

/// <summary>Validation of the optional <c>Idempotency-Key</c> header (POST and PATCH inventory).</summary>
internal static class IdempotencyKeys
{
    public static string Validate(string? header, FieldErrors errors)
    {
        if (header is null)
        {
            return string.Empty;
        }

        if (header.Length is 0 or > ItemBounds.IdempotencyKeyMaxLength || !TextRules.IsVisibleAscii(header))
        {
            errors.Add(RequestHeaders.IdempotencyKey, $"must be 1 to {ItemBounds.IdempotencyKeyMaxLength} visible ASCII characters");
        }

        return header;
    }
}
