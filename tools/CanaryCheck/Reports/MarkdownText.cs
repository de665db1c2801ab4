using System.Text;

namespace CanaryDemo.CanaryCheck.Reports;

/// <summary>
/// Text made safe for a Markdown table cell. Response values come from the PR's code and end up in
/// a check run or a PR comment, so none of them may turn into a link, an image, HTML or a broken table.
/// </summary>
internal static class MarkdownText
{
    public const int MaxValueLength = 200;

    /// <summary>A value as inline code, cut at <see cref="MaxValueLength"/> characters.</summary>
    public static string Code(string value)
    {
        var text = OneLine(Cut(value)).Replace("|", "\\|", StringComparison.Ordinal);
        var longestRun = 0;
        var run = 0;
        foreach (var character in text)
        {
            run = character == '`' ? run + 1 : 0;
            longestRun = Math.Max(longestRun, run);
        }

        var fence = new string('`', longestRun + 1);
        var padding = text.StartsWith('`') || text.EndsWith('`') || text.Length == 0 ? " " : string.Empty;
        return $"{fence}{padding}{text}{padding}{fence}";
    }

    /// <summary>Plain text in which no character starts emphasis, code, a link, HTML, a mention or an issue reference.</summary>
    public static string Plain(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var character in OneLine(text))
        {
            if (@"\`*_[]<>|~&@#".Contains(character, StringComparison.Ordinal))
            {
                escaped.Append('\\');
            }

            escaped.Append(character);
        }

        return escaped.ToString();
    }

    private static string Cut(string value) => value.Length <= MaxValueLength ? value : string.Concat(value.AsSpan(0, MaxValueLength), "…");

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
