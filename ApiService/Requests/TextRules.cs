namespace CanaryDemo.ApiService.Requests;

/// <summary>Length and character checks shared by body fields and headers.</summary>
internal static class TextRules
{
    public static void Required(FieldErrors errors, string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, "is required");
            return;
        }

        Optional(errors, field, value, maxLength);
    }

    public static void Optional(FieldErrors errors, string field, string? value, int maxLength, bool multiline = false)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length > maxLength)
        {
            errors.Add(field, $"must be at most {maxLength} characters");
        }

        if (value.Any(c => char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t')))
        {
            errors.Add(field, "must not contain control characters");
        }
    }

    /// <summary>Visible ASCII only (0x21-0x7E): identifiers that travel in headers and keys.</summary>
    public static bool IsVisibleAscii(string value) => value.All(c => c is >= '!' and <= '~');
}
