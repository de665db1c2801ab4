using System.Text.Json;
using System.Text.Json.Serialization;

namespace CanaryDemo.ApiService.Json;

/// <summary>The names a snake_case enum accepts, so the OpenAPI document can list them.</summary>
internal interface ISnakeCaseEnumNames
{
    IReadOnlyList<string> Names { get; }
}

/// <summary>
/// Enums as lower snake_case strings (<c>out_of_stock</c>), matched exactly. Unlike
/// JsonStringEnumConverter it refuses numbers, other casings and C# member names, so the body
/// accepts exactly what the query string accepts and a typo is a 400, never a guess.
/// </summary>
internal sealed class SnakeCaseEnumConverter<TEnum> : JsonConverter<TEnum>, ISnakeCaseEnumNames
    where TEnum : struct, Enum
{
    public IReadOnlyList<string> Names => SnakeCaseEnum<TEnum>.Names;

    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && SnakeCaseEnum<TEnum>.TryParse(reader.GetString()!, out var value))
        {
            return value;
        }

        throw new JsonException($"Expected one of {SnakeCaseEnum<TEnum>.AllowedNames}.");
    }

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
        writer.WriteStringValue(SnakeCaseEnum<TEnum>.NameOf(value));
}
