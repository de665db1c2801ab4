using System.Globalization;
using System.Numerics;

namespace CanaryDemo.CanaryCheck.Json;

/// <summary>
/// JSON numbers compared as the exact decimals they write, never through a double: <c>1.50</c>
/// equals <c>1.5</c> and <c>15e-1</c>, while <c>0.1</c> and <c>0.10000000000000001</c> differ
/// (a double holds both as the same value).
/// </summary>
internal static class ExactNumber
{
    /// <summary>
    /// One text per value: the significant digits without leading or trailing zeros and the
    /// exponent that scales them (<c>1.50</c> and <c>150e-2</c> are both <c>15e-1</c>; every zero is <c>0</c>).
    /// </summary>
    /// <param name="json">a number as JSON writes it (the raw text of a number element)</param>
    public static string Canonical(string json)
    {
        var text = json.AsSpan();
        var negative = text.Length > 0 && text[0] == '-';
        if (negative)
        {
            text = text[1..];
        }

        var exponent = BigInteger.Zero;
        var e = text.IndexOfAny('e', 'E');
        if (e >= 0)
        {
            exponent = BigInteger.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        string digits;
        var dot = text.IndexOf('.');
        if (dot >= 0)
        {
            digits = string.Concat(text[..dot], text[(dot + 1)..]);
            exponent -= text.Length - dot - 1;
        }
        else
        {
            digits = text.ToString();
        }

        digits = digits.TrimStart('0');
        if (digits.Length == 0)
        {
            return "0";
        }

        var significant = digits.TrimEnd('0');
        exponent += digits.Length - significant.Length;
        return string.Create(CultureInfo.InvariantCulture, $"{(negative ? "-" : string.Empty)}{significant}e{exponent}");
    }

    public static bool AreEqual(string left, string right) => Canonical(left) == Canonical(right);
}
