using System.Text.Json;
using CanaryDemo.CanaryCheck.Json;
using CanaryDemo.CanaryCheck.Running;

namespace CanaryDemo.CanaryCheck.Analysis;

/// <summary>
/// Two responses to the same step, field by field: status, content type, and the body member by
/// member when both are JSON (whole, as text, otherwise). A side without an answer differs in its
/// status and nothing else.
/// </summary>
internal static class ResponseComparison
{
    public const string Absent = "(absent)";

    public static IReadOnlyList<FieldDifference> Compare(StepResponse left, StepResponse right)
    {
        var differences = new List<FieldDifference>();
        if (left.Outcome != right.Outcome)
        {
            differences.Add(new FieldDifference(ResponseField.Status, left.Outcome, right.Outcome, left.Answered && right.Answered));
        }

        if (!left.Answered || !right.Answered)
        {
            return differences;
        }

        if (!string.Equals(left.ContentType, right.ContentType, StringComparison.OrdinalIgnoreCase))
        {
            differences.Add(new FieldDifference(ResponseField.ContentType, left.ContentType ?? Absent, right.ContentType ?? Absent, left.ContentType is not null && right.ContentType is not null));
        }

        var leftBody = left.Body!;
        var rightBody = right.Body!;
        if (leftBody.Json is { } leftJson && rightBody.Json is { } rightJson)
        {
            differences.AddRange(JsonDiff.Compare(leftJson, rightJson).Select(difference =>
                new FieldDifference(ResponseField.Body(difference.Path), Write(difference.Left), Write(difference.Right), SameKind(difference.Left, difference.Right))));
        }
        else if (leftBody.Text != rightBody.Text)
        {
            differences.Add(new FieldDifference(ResponseField.Body(JsonPath.Root), WriteBody(leftBody), WriteBody(rightBody), leftBody.Json is null && rightBody.Json is null));
        }

        return differences;
    }

    private static bool SameKind(JsonElement? left, JsonElement? right) =>
        left is { } l && right is { } r && Kind(l.ValueKind) == Kind(r.ValueKind);

    // true and false are two kinds to JsonElement, one to a reader of the api.
    private static JsonValueKind Kind(JsonValueKind kind) => kind == JsonValueKind.False ? JsonValueKind.True : kind;

    private static string Write(JsonElement? value) => value is { } element ? JsonText.Of(element) : Absent;

    private static string WriteBody(ResponseBody body) => body.Json is { } json ? JsonText.Of(json) : JsonText.Quote(body.Text);
}
