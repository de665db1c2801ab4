using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace CanaryDemo.ApiService.Json;

/// <summary>
/// Parses the same snake_case names that <see cref="SnakeCaseEnumConverter{TEnum}"/> writes, for
/// values that arrive outside a JSON body (query strings).
/// </summary>
internal static class SnakeCaseEnum<TEnum>
    where TEnum : struct, Enum
{
    private static readonly FrozenDictionary<string, TEnum> ByName =
        Enum.GetValues<TEnum>().ToFrozenDictionary(value => NameOf(value), StringComparer.Ordinal);

    /// <summary>The accepted names, comma separated, for error messages.</summary>
    public static string AllowedNames { get; } = string.Join(", ", Enum.GetValues<TEnum>().Select(NameOf));

    public static bool TryParse(string value, [MaybeNullWhen(false)] out TEnum result) => ByName.TryGetValue(value, out result);

    private static string NameOf(TEnum value) => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
