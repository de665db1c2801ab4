using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CanaryDemo.ApiService.Json;

/// <summary>
/// Reads a JSON number into a <see cref="decimal"/> only when the decimal holds it exactly. The
/// default reader rounds silently: <c>1e-400</c> becomes 0, and a 30th significant digit is
/// dropped. Prices are exact end to end, so such a number is malformed here, like one beyond the
/// decimal's range.
/// </summary>
internal sealed class ExactDecimalConverter : JsonConverter<decimal>
{
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDecimal(out var value))
        {
            throw new JsonException("The value is not a number a decimal can hold.");
        }

        var text = Encoding.ASCII.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
        return Digits.Of(text) is { } written && written == Digits.Of(value.ToString(CultureInfo.InvariantCulture))
            ? value
            : throw new JsonException("The number cannot be held exactly by a decimal.");
    }

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) => writer.WriteNumberValue(value);

    /// <summary>A number as significant digits times a power of ten, so equal values compare equal however they are written.</summary>
    private readonly record struct Digits(bool Negative, string Significant, int Exponent)
    {
        /// <summary>Null for an exponent beyond 32 bits: no decimal is that large or that small.</summary>
        public static Digits? Of(string number)
        {
            var negative = number.StartsWith('-');
            var mantissa = number.TrimStart('-');
            var exponent = 0;
            if (mantissa.IndexOfAny(['e', 'E']) is var e and >= 0)
            {
                if (!int.TryParse(mantissa[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent))
                {
                    return null;
                }

                mantissa = mantissa[..e];
            }

            if (mantissa.IndexOf('.') is var point and >= 0)
            {
                exponent -= mantissa.Length - point - 1;
                mantissa = mantissa.Remove(point, 1);
            }

            var significant = mantissa.TrimStart('0');
            var trimmed = significant.TrimEnd('0');
            return trimmed.Length == 0
                ? new Digits(false, "", 0)
                : new Digits(negative, trimmed, exponent + (significant.Length - trimmed.Length));
        }
    }
}
