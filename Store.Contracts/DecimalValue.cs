using System.Diagnostics.CodeAnalysis;

namespace CanaryDemo.Store.V1;

/// <summary>
/// The one conversion between C# <see cref="decimal"/> and <see cref="DecimalValue"/>
/// (units + nanos / 1e9). Both directions are exact: a value that cannot be represented without
/// rounding is refused, never rounded.
/// </summary>
public sealed partial class DecimalValue
{
    private const decimal NanosPerUnit = 1_000_000_000m;
    private const int MaxNanos = 999_999_999;

    /// <summary>Nanos within ±999,999,999 and with the sign of units, as the contract requires.</summary>
    public bool IsWellFormed =>
        Nanos is >= -MaxNanos and <= MaxNanos && !(Units > 0 && Nanos < 0) && !(Units < 0 && Nanos > 0);

    /// <summary>False when <paramref name="value"/> has more than 9 decimal places or its integer part exceeds 64 bits.</summary>
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

    /// <summary>The value in its shortest exact form (0.1, not 0.100000000).</summary>
    /// <exception cref="FormatException">The value is not <see cref="IsWellFormed"/>.</exception>
    public decimal ToDecimal()
    {
        if (!IsWellFormed)
        {
            throw new FormatException("DecimalValue nanos must be within ±999,999,999 and share the sign of units.");
        }

        // Dividing by 1 with 28 zero decimals removes trailing zeros without changing the value.
        return (Units + (Nanos / NanosPerUnit)) / 1.0000000000000000000000000000m;
    }
}
