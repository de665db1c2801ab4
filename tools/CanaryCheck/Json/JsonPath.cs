using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CanaryDemo.CanaryCheck.Json;

/// <summary>
/// A location in a JSON document, written as the report and the scenario's captures write it:
/// <c>$</c> for the root, <c>.name</c> for a member, <c>['a name']</c> for a member whose name is
/// no identifier, <c>[3]</c> for an array element: <c>$.items[0].price</c>, <c>$.errors['tags[1]']</c>.
/// </summary>
internal sealed partial class JsonPath : IEquatable<JsonPath>
{
    private readonly JsonPathSegment[] _segments;
    private readonly string _text;

    private JsonPath(JsonPathSegment[] segments)
    {
        _segments = segments;
        _text = Format(segments);
    }

    public static JsonPath Root { get; } = new([]);

    public JsonPath Member(string name) => new([.. _segments, JsonPathSegment.OfMember(name)]);

    public JsonPath Element(int index) => new([.. _segments, JsonPathSegment.OfElement(index)]);

    /// <summary>Whether this path is <paramref name="ancestor"/> or lies below it.</summary>
    public bool IsWithin(JsonPath ancestor) =>
        ancestor._segments.Length <= _segments.Length && ancestor._segments.AsSpan().SequenceEqual(_segments.AsSpan(0, ancestor._segments.Length));

    /// <summary>The value at this path, if the document has one there.</summary>
    public bool TrySelect(JsonElement root, out JsonElement value)
    {
        value = root;
        foreach (var segment in _segments)
        {
            if (segment.Name is { } name)
            {
                if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(name, out value))
                {
                    return false;
                }
            }
            else if (value.ValueKind != JsonValueKind.Array || segment.Index >= value.GetArrayLength())
            {
                return false;
            }
            else
            {
                value = value[segment.Index];
            }
        }

        return true;
    }

    /// <summary>Parses a path as <see cref="ToString"/> writes it (double quotes are accepted too).</summary>
    /// <exception cref="FormatException">the text is not a path</exception>
    public static JsonPath Parse(string text)
    {
        if (!text.StartsWith('$'))
        {
            throw new FormatException($"'{text}' is not a JSON path: it must start with $");
        }

        var segments = new List<JsonPathSegment>();
        var position = 1;
        while (position < text.Length)
        {
            if (text[position] == '.')
            {
                var end = text.IndexOfAny(['.', '['], position + 1);
                end = end < 0 ? text.Length : end;
                var name = text[(position + 1)..end];
                if (name.Length == 0)
                {
                    throw new FormatException($"'{text}': an empty member name at character {position + 1}");
                }

                segments.Add(JsonPathSegment.OfMember(name));
                position = end;
            }
            else if (text[position] == '[' && position + 1 < text.Length && text[position + 1] is '\'' or '"')
            {
                position = ReadQuotedMember(text, position, segments);
            }
            else if (text[position] == '[')
            {
                var end = text.IndexOf(']', position);
                if (end < 0 || !int.TryParse(text.AsSpan(position + 1, end - position - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    throw new FormatException($"'{text}': expected [<index>] or ['<name>'] at character {position + 1}");
                }

                segments.Add(JsonPathSegment.OfElement(index));
                position = end + 1;
            }
            else
            {
                throw new FormatException($"'{text}': expected . or [ at character {position + 1}");
            }
        }

        return new JsonPath([.. segments]);
    }

    public bool Equals(JsonPath? other) => other is not null && _text == other._text;

    public override bool Equals(object? obj) => Equals(obj as JsonPath);

    public override int GetHashCode() => _text.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => _text;

    private static int ReadQuotedMember(string text, int position, List<JsonPathSegment> segments)
    {
        var quote = text[position + 1];
        var name = new StringBuilder();
        for (var i = position + 2; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                name.Append(text[++i]);
            }
            else if (text[i] == quote)
            {
                if (i + 1 >= text.Length || text[i + 1] != ']')
                {
                    throw new FormatException($"'{text}': expected ] after the quoted name at character {i + 2}");
                }

                segments.Add(JsonPathSegment.OfMember(name.ToString()));
                return i + 2;
            }
            else
            {
                name.Append(text[i]);
            }
        }

        throw new FormatException($"'{text}': the quoted name at character {position + 1} is not closed");
    }

    private static string Format(JsonPathSegment[] segments)
    {
        var text = new StringBuilder("$");
        foreach (var segment in segments)
        {
            if (segment.Name is null)
            {
                text.Append(CultureInfo.InvariantCulture, $"[{segment.Index}]");
            }
            else if (Identifier().IsMatch(segment.Name))
            {
                text.Append('.').Append(segment.Name);
            }
            else
            {
                text.Append("['").Append(segment.Name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)).Append("']");
            }
        }

        return text.ToString();
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();
}

/// <summary>One step of a <see cref="JsonPath"/>: a member name, or an array index when the name is null.</summary>
internal readonly record struct JsonPathSegment(string? Name, int Index)
{
    public static JsonPathSegment OfMember(string name) => new(name, -1);

    public static JsonPathSegment OfElement(int index) => new(null, index);
}
