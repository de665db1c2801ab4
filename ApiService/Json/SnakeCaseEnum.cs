using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace CanaryDemo.ApiService.Json;

/// <summary>The lower snake_case names of an enum (<c>OutOfStock</c> → <c>out_of_stock</c>), for JSON bodies and query strings alike.</summary>
internal static class SnakeCaseEnum<TEnum>
    where TEnum : struct, Enum
{
    private static readonly FrozenDictionary<TEnum, string> NameByValue =
        Enum.GetValues<TEnum>().ToFrozenDictionary(value => value, value => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString()));

    private static readonly FrozenDictionary<string, TEnum> ValueByName =
        NameByValue.ToFrozenDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    public static IReadOnlyList<string> Names { get; } = [.. Enum.GetValues<TEnum>().Select(value => NameByValue[value])];

    /// <summary>The accepted names, comma separated, for error messages.</summary>
    public static string AllowedNames { get; } = string.Join(", ", Names);

    public static string NameOf(TEnum value) =>
        NameByValue.TryGetValue(value, out var name) ? name : throw new JsonException($"{typeof(TEnum).Name} has no value {value}.");

    public static bool TryParse(string value, [MaybeNullWhen(false)] out TEnum result) => ValueByName.TryGetValue(value, out result);
}
