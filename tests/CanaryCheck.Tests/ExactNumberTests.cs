using CanaryDemo.CanaryCheck.Json;

namespace CanaryDemo.CanaryCheck.Tests;

public class ExactNumberTests
{
    [Theory]
    [InlineData("1.5", "1.50")]
    [InlineData("1.5", "15e-1")]
    [InlineData("1.5", "0.15E1")]
    [InlineData("1.5", "150E-2")]
    [InlineData("299.99", "299.990")]
    [InlineData("100", "1e2")]
    [InlineData("100", "1.00E+2")]
    [InlineData("0", "-0")]
    [InlineData("0", "0.000")]
    [InlineData("0", "0e99")]
    [InlineData("-12.50", "-12.5")]
    [InlineData("1e400", "10e399")]
    [InlineData("123456789012345678901234567890.5", "1234567890123456789012345678905e-1")]
    public void The_same_value_written_differently_is_equal(string left, string right) =>
        Assert.True(ExactNumber.AreEqual(left, right), $"{ExactNumber.Canonical(left)} vs {ExactNumber.Canonical(right)}");

    [Theory]
    // A double holds both of these as the same value; as decimals they differ.
    [InlineData("0.1", "0.10000000000000001")]
    [InlineData("9007199254740993", "9007199254740992")]
    [InlineData("1.5", "-1.5")]
    [InlineData("1e400", "1e401")]
    [InlineData("12.5", "12.05")]
    [InlineData("100", "10")]
    public void Different_values_differ_even_where_a_double_would_not_tell(string left, string right) =>
        Assert.False(ExactNumber.AreEqual(left, right));

    [Fact]
    public void The_canonical_form_is_the_significant_digits_and_an_exponent() =>
        Assert.Equal(["15e-1", "-3e2", "0", "12345e-2"], new[] { "1.50", "-300", "-0.0", "123.45" }.Select(ExactNumber.Canonical));
}
