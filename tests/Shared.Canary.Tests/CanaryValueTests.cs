using Microsoft.Extensions.Primitives;

namespace CanaryDemo.Shared.Canary.Tests;

public class CanaryValueTests
{
    [Theory]
    [InlineData("1")]
    [InlineData("42")]
    [InlineData("100")]
    [InlineData("999999999")]
    public void Accepts_pr_numbers(string value)
    {
        Assert.True(CanaryValue.TryParse(value, out var pr));
        Assert.Equal(value, pr);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("042")]
    [InlineData("1234567890")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData(" 42")]
    [InlineData("42 ")]
    [InlineData("1 2")]
    [InlineData("4\t2")]
    [InlineData("abc")]
    [InlineData("42a")]
    [InlineData("4.2")]
    [InlineData("42,43")]
    [InlineData("\u0664\u0662")] // Arabic-Indic digits
    [InlineData("\uFF14\uFF12")] // full-width digits
    public void Rejects_anything_else(string? value)
    {
        Assert.False(CanaryValue.TryParse(value, out var pr));
        Assert.Null(pr);
    }

    [Fact]
    public void Several_header_values_are_no_canary()
    {
        Assert.False(CanaryValue.TryParse(new StringValues(["42", "43"]), out _));
        Assert.False(CanaryValue.TryParse(new StringValues(["42", "42"]), out _));
        Assert.False(CanaryValue.TryParse(StringValues.Empty, out _));
        Assert.True(CanaryValue.TryParse(new StringValues("42"), out var pr));
        Assert.Equal("42", pr);
    }
}
