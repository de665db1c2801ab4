using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Primitives;

namespace CanaryDemo.Shared.Canary;

/// <summary>
/// Validation of a canary value: a PR number written as ASCII digits, no sign, no leading zero,
/// at most 9 digits. Anything else means "no canary"; it is never an error.
/// </summary>
public static class CanaryValue
{
    public const int MaxDigits = 9;

    public static bool TryParse(string? value, [NotNullWhen(true)] out string? pr)
    {
        pr = IsValid(value) ? value : null;
        return pr is not null;
    }

    /// <summary>Several header values are ambiguous, so they count as no canary.</summary>
    public static bool TryParse(StringValues values, [NotNullWhen(true)] out string? pr)
    {
        if (values.Count == 1)
        {
            return TryParse(values[0], out pr);
        }

        pr = null;
        return false;
    }

    private static bool IsValid([NotNullWhen(true)] string? value) =>
        value is { Length: > 0 and <= MaxDigits }
        && value[0] != '0'
        && value.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0;
}
