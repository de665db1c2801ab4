using System.Text.Json;
using System.Text.Json.Serialization;
using CanaryDemo.Store.V1;

namespace CanaryDemo.ApiService.Json;

/// <summary>The names an enum converter accepts, so the OpenAPI document can list them.</summary>
internal interface IEnumNameConverter
{
    IReadOnlyList<string> Names { get; }
}

/// <summary>
/// A contract enum as its snake_case name (<c>out_of_stock</c>) from <see cref="ItemEnumNames"/>,
/// matched exactly. Unlike JsonStringEnumConverter it refuses numbers, other casings, C# member
/// names and UNSPECIFIED, so the body accepts exactly what the query string accepts and a typo is
/// a 400, never a guess.
/// </summary>
internal sealed class EnumNameConverter<TEnum>(EnumNames<TEnum> names) : JsonConverter<TEnum>, IEnumNameConverter
    where TEnum : struct, Enum
{
    public IReadOnlyList<string> Names => names.Names;

    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && names.TryParse(reader.GetString()!, out var value))
        {
            return value;
        }

        throw new JsonException($"Expected one of {names.AllowedNames}.");
    }

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
        writer.WriteStringValue(names.NameOf(value));
}
