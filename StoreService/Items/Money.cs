using CanaryDemo.Store.V1;

namespace CanaryDemo.StoreService.Items;

/// <summary>Exact conversion between <see cref="DecimalValue"/> and <see cref="decimal"/> (no binary floating point).</summary>
internal static class Money
{
    private const int NanosPerUnit = 1_000_000_000;

    /// <summary>Whether units and nanos form a well-formed value (nanos in range, same sign).</summary>
    public static bool IsWellFormed(DecimalValue value) =>
        value.Nanos is > -NanosPerUnit and < NanosPerUnit &&
        !(value.Units > 0 && value.Nanos < 0) && !(value.Units < 0 && value.Nanos > 0);

    public static decimal ToDecimal(DecimalValue value) => value.Units + (decimal)value.Nanos / NanosPerUnit;

    public static DecimalValue FromDecimal(decimal value)
    {
        var units = decimal.Truncate(value);
        return new DecimalValue
        {
            Units = (long)units,
            Nanos = (int)decimal.Truncate((value - units) * NanosPerUnit),
        };
    }

    /// <summary>Number of significant decimal places (0.10 has 1, 299.99 has 2).</summary>
    public static int DecimalPlaces(DecimalValue value)
    {
        var nanos = Math.Abs(value.Nanos);
        if (nanos == 0)
        {
            return 0;
        }

        var places = 9;
        while (nanos % 10 == 0)
        {
            nanos /= 10;
            places--;
        }

        return places;
    }
}
