using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using CanaryDemo.CanaryCheck.Json;

namespace CanaryDemo.CanaryCheck.Scenarios;

/// <summary>A value a placeholder stands for: its text (in paths and headers) and its JSON (a whole-placeholder body value).</summary>
internal sealed record CapturedValue(string Text, string Json)
{
    public static CapturedValue Of(JsonElement value) =>
        new(value.ValueKind == JsonValueKind.String ? value.GetString()! : JsonText.Of(value), JsonText.Of(value));

    public static CapturedValue OfText(string text) => new(text, JsonText.Quote(text));
}

/// <summary>The values of one run: its tenant, and what its steps captured so far.</summary>
internal sealed class RunVariables
{
    /// <summary>The one variable every run has: its own fresh tenant.</summary>
    public const string Tenant = "tenant";

    private readonly Dictionary<string, CapturedValue> _values = new(StringComparer.Ordinal);

    public RunVariables(long tenant)
    {
        var text = tenant.ToString(CultureInfo.InvariantCulture);
        _values[Tenant] = new CapturedValue(text, text);
    }

    public bool TryGet(string name, [NotNullWhen(true)] out CapturedValue? value) => _values.TryGetValue(name, out value);

    public void Set(string name, CapturedValue value) => _values[name] = value;

    public void Remove(string name) => _values.Remove(name);
}
