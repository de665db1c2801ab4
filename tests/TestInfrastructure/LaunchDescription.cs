using System.Text.Json;
using System.Text.RegularExpressions;

namespace CanaryDemo.Testing;

/// <summary>
/// The environment a local service is started with, from the repository's one launch description
/// (<c>scripts/local-services.json</c>, which the run command and the benchmarks read too). Values
/// that differ per run (ports, table, key) are its <c>{placeholders}</c>.
/// </summary>
public static partial class LaunchDescription
{
    private static readonly Lazy<Dictionary<string, Dictionary<string, string>>> Services = new(() =>
        JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(
            File.ReadAllText(Path.Combine(RepositoryPaths.Root, "scripts", "local-services.json")))!);

    /// <summary>Every placeholder must get a value and every value must be used, as in scripts/lib/local-services.mjs.</summary>
    public static Dictionary<string, string?> Environment(string service, IReadOnlyDictionary<string, string> values)
    {
        if (!Services.Value.TryGetValue(service, out var template))
        {
            throw new ArgumentException($"No service '{service}' in scripts/local-services.json.", nameof(service));
        }

        var used = new HashSet<string>();
        var environment = template.ToDictionary(
            pair => pair.Key,
            pair => (string?)Placeholder().Replace(pair.Value, match =>
            {
                var key = match.Groups[1].Value;
                used.Add(key);
                return values.TryGetValue(key, out var value)
                    ? value
                    : throw new ArgumentException($"{service}: no value for {{{key}}} ({pair.Key}).", nameof(values));
            }));
        var unused = values.Keys.Except(used).ToArray();
        return unused.Length == 0
            ? environment
            : throw new ArgumentException($"{service}: {string.Join(", ", unused)} not used by its description.", nameof(values));
    }

    /// <summary>
    /// The DynamoDB table of a local store (<c>store-service:tables</c>, as <c>local-services.mjs table</c>):
    /// the shared table, or the one of PR <paramref name="pr"/> with isolated data.
    /// </summary>
    public static string StoreTable(int? pr = null)
    {
        var tables = Services.Value["store-service:tables"];
        return pr is { } number
            ? tables["isolated"].Replace("{pr}", number.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            : tables["shared"];
    }

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Placeholder();
}
