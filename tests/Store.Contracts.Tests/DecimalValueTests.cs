using CanaryDemo.Store.V1;

namespace CanaryDemo.Store.Contracts.Tests;

/// <summary>The one decimal ⇄ DecimalValue conversion: exact both ways, refusing what it cannot hold.</summary>
public sealed class DecimalValueTests
{
    [Theory]
    [InlineData("0.10", 0L, 100_000_000)]
    [InlineData("299.99", 299L, 990_000_000)]
    [InlineData("0", 0L, 0)]
    [InlineData("1000000000", 1_000_000_000L, 0)]
    [InlineData("0.000000001", 0L, 1)]
    [InlineData("-1.5", -1L, -500_000_000)]
    [InlineData("-0.25", 0L, -250_000_000)]
    [InlineData("9223372036854775807.999999999", long.MaxValue, 999_999_999)]
    public void Converts_exactly_in_both_directions(string text, long units, int nanos)
    {
        var value = decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

        Assert.True(DecimalValue.TryFromDecimal(value, out var proto));
        Assert.Equal((units, nanos), (proto.Units, proto.Nanos));
        Assert.True(proto.IsWellFormed);
        Assert.Equal(value, proto.ToDecimal());
    }

    [Theory]
    [InlineData(0L, 100_000_000, "0.1")]
    [InlineData(299L, 990_000_000, "299.99")]
    [InlineData(5L, 0, "5")]
    [InlineData(-3L, -10_000_000, "-3.01")]
    public void Writes_the_shortest_exact_form(long units, int nanos, string expected) =>
        Assert.Equal(expected, new DecimalValue { Units = units, Nanos = nanos }.ToDecimal().ToString(System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("0.0000000001")]
    [InlineData("1.1234567891")]
    [InlineData("9223372036854775808")]
    [InlineData("-9223372036854775809")]
    public void Refuses_values_that_would_need_rounding_or_overflow(string text) =>
        Assert.False(DecimalValue.TryFromDecimal(decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture), out _));

    [Theory]
    [InlineData(1L, -1)]
    [InlineData(-1L, 1)]
    [InlineData(0L, 1_000_000_000)]
    [InlineData(0L, -1_000_000_000)]
    public void Refuses_malformed_values(long units, int nanos)
    {
        var value = new DecimalValue { Units = units, Nanos = nanos };

        Assert.False(value.IsWellFormed);
        Assert.Throws<FormatException>(() => value.ToDecimal());
    }
}
