using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using CanaryDemo.CanaryCheck.Json;
using CanaryDemo.CanaryCheck.Running;

namespace CanaryDemo.CanaryCheck.Scenarios;

/// <summary>
/// A value a step keeps from its response for later steps: <c>$.id</c> reads the JSON body at
/// that path, <c>header:ETag</c> a response header. A JSON null counts as no value.
/// </summary>
internal sealed record Capture(string Variable, string Source)
{
    private const string HeaderPrefix = "header:";

    private readonly JsonPath? _path = Source.StartsWith('$') ? JsonPath.Parse(Source) : null;

    private readonly string? _header = Source.StartsWith(HeaderPrefix, StringComparison.OrdinalIgnoreCase) ? Source[HeaderPrefix.Length..].Trim() : null;

    /// <exception cref="FormatException">the source is neither a JSON path nor header:&lt;name&gt;</exception>
    public static Capture Parse(string variable, string source)
    {
        var capture = new Capture(variable, source.Trim());
        if (capture._path is null && string.IsNullOrEmpty(capture._header))
        {
            throw new FormatException($"'{source}' is neither a JSON path ($.id) nor header:<name>");
        }

        return capture;
    }

    public bool TryRead(StepResponse response, [NotNullWhen(true)] out CapturedValue? value)
    {
        value = null;
        if (_header is not null)
        {
            if (response.Headers.TryGetValue(_header, out var text))
            {
                value = CapturedValue.OfText(text);
            }
        }
        else if (response.Body?.Json is { } json && _path!.TrySelect(json, out var element) && element.ValueKind != JsonValueKind.Null)
        {
            value = CapturedValue.Of(element);
        }

        return value is not null;
    }
}
