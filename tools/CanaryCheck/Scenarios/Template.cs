using System.Text;
using System.Text.RegularExpressions;

namespace CanaryDemo.CanaryCheck.Scenarios;

/// <summary>
/// A scenario text with <c>${name}</c> placeholders: the run's <c>tenant</c>, or a value an earlier
/// step captured. Parsed once when the scenario is read, rendered for each run.
/// </summary>
internal sealed partial class Template
{
    private readonly IReadOnlyList<(string Literal, string? Variable)> _parts;

    private Template(IReadOnlyList<(string Literal, string? Variable)> parts) => _parts = parts;

    /// <summary>The names this text refers to, in order.</summary>
    public IEnumerable<string> Variables => _parts.Select(part => part.Variable).OfType<string>();

    /// <summary>The name, when the whole text is one placeholder (in a JSON body it then stands for the captured JSON value itself).</summary>
    public string? SoleVariable => _parts is [{ Literal: "", Variable: { } name }] ? name : null;

    /// <exception cref="FormatException">an unclosed placeholder, or a name that is no identifier</exception>
    public static Template Parse(string text)
    {
        var parts = new List<(string, string?)>();
        var literal = new StringBuilder();
        var position = 0;
        while (position < text.Length)
        {
            var start = text.IndexOf("${", position, StringComparison.Ordinal);
            if (start < 0)
            {
                literal.Append(text, position, text.Length - position);
                break;
            }

            var end = text.IndexOf('}', start);
            if (end < 0)
            {
                throw new FormatException($"'{text}': ${{ at character {start + 1} is not closed");
            }

            var name = text[(start + 2)..end];
            if (!Name().IsMatch(name))
            {
                throw new FormatException($"'{text}': '{name}' is not a variable name (letters, digits and _, not starting with a digit)");
            }

            literal.Append(text, position, start - position);
            parts.Add((literal.ToString(), name));
            literal.Clear();
            position = end + 1;
        }

        if (literal.Length > 0 || parts.Count == 0)
        {
            parts.Add((literal.ToString(), null));
        }

        return new Template(parts);
    }

    /// <summary>
    /// The text with every placeholder replaced by <paramref name="encode"/> of its value's text;
    /// false with the first name that has no value.
    /// </summary>
    public bool TryRender(RunVariables variables, Func<string, string> encode, out string text, out string? missing)
    {
        var rendered = new StringBuilder();
        foreach (var (literal, variable) in _parts)
        {
            rendered.Append(literal);
            if (variable is null)
            {
                continue;
            }

            if (!variables.TryGet(variable, out var value))
            {
                text = string.Empty;
                missing = variable;
                return false;
            }

            rendered.Append(encode(value.Text));
        }

        text = rendered.ToString();
        missing = null;
        return true;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Name();
}
