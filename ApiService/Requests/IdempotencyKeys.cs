namespace CanaryDemo.ApiService.Requests;

/// <summary>Validation of the optional <c>Idempotency-Key</c> header (POST and PATCH inventory).</summary>
internal static class IdempotencyKeys
{
    public const int MaxLength = 255;

    public static string Validate(string? header, FieldErrors errors)
    {
        if (header is null)
        {
            return string.Empty;
        }

        if (header.Length is 0 or > MaxLength || !TextRules.IsVisibleAscii(header))
        {
            errors.Add(RequestHeaders.IdempotencyKey, $"must be 1 to {MaxLength} visible ASCII characters");
        }

        return header;
    }
}
