using System.Diagnostics.CodeAnalysis;
using CanaryDemo.Store.V1;

namespace CanaryDemo.ApiService.Prices;

/// <summary>
/// The one conversion between C# <see cref="decimal"/> (JSON numbers) and the store's
/// <see cref="DecimalValue"/> (units + nanos / 1e9). Both directions are exact: a value that
/// cannot be represented without rounding is refused, never rounded.
/// </summary>
internal static class DecimalValues
{
    private const decimal NanosPerUnit = 1_000_000_000m;
    private const int MaxNanos = 999_999_999;

    public static bool TryFromDecimal(decimal value, [NotNullWhen(true)] out DecimalValue? result)
    {
        result = null;
        var units = decimal.Truncate(value);
        var nanos = (value - units) * NanosPerUnit;
        if (nanos != decimal.Truncate(nanos) || units < long.MinValue || units > long.MaxValue)
        {
            return false;
        }

        result = new DecimalValue { Units = (long)units, Nanos = (int)nanos };
        return true;
    }

    /// <summary>Returns the value in its shortest exact form (0.1, not 0.100000000).</summary>
    public static decimal ToDecimal(DecimalValue value)
    {
        var signsDisagree = (value.Units > 0 && value.Nanos < 0) || (value.Units < 0 && value.Nanos > 0);
        if (value.Nanos is < -MaxNanos or > MaxNanos || signsDisagree)
        {
            throw new FormatException("DecimalValue nanos must be within ±999,999,999 and share the sign of units.");
        }

        return Normalize(value.Units + (value.Nanos / NanosPerUnit));
    }

    private static decimal Normalize(decimal value)
    {
        // Dividing by 1 with 28 zero decimals removes trailing zeros without changing the value.
        return value / 1.0000000000000000000000000000m;
    }
}
