namespace CanaryDemo.ApiService.Requests;

/// <summary>The optional <c>Idempotency-Key</c> header (POST and PATCH inventory).</summary>
internal static class IdempotencyKeys
{
    /// <summary>
    /// Returns the key for the store's idempotency_key, whose length and characters the store
    /// judges. Refused here is only a header that is present but empty: the store would read it
    /// as "no key" and silently make the request unsafe to retry.
    /// </summary>
    public static string Read(string? header, FieldErrors errors)
    {
        if (header is { Length: 0 })
        {
            errors.Add(RequestHeaders.IdempotencyKey, "must not be empty");
        }

        return header ?? string.Empty;
    }
}
