using System.Text.Json;

namespace CanaryDemo.CanaryCheck.Json;

/// <summary>A place where two JSON documents differ; a null side has no value there at all.</summary>
internal sealed record JsonDifference(JsonPath Path, JsonElement? Left, JsonElement? Right);

/// <summary>
/// Compares two JSON documents member by member: objects by name (order does not matter),
/// arrays by position, numbers as exact decimals, strings ordinally. Each difference is
/// reported at the deepest path where the two still have the same shape.
/// </summary>
internal static class JsonDiff
{
    public static IReadOnlyList<JsonDifference> Compare(JsonElement left, JsonElement right)
    {
        var differences = new List<JsonDifference>();
        Compare(JsonPath.Root, left, right, differences);
        return differences;
    }

    private static void Compare(JsonPath path, JsonElement? left, JsonElement? right, List<JsonDifference> differences)
    {
        if (left is not { } l || right is not { } r)
        {
            if (left is not null || right is not null)
            {
                differences.Add(new JsonDifference(path, left, right));
            }

            return;
        }

        if (l.ValueKind != r.ValueKind)
        {
            differences.Add(new JsonDifference(path, l, r));
            return;
        }

        switch (l.ValueKind)
        {
            case JsonValueKind.Object:
                CompareObjects(path, l, r, differences);
                break;
            case JsonValueKind.Array:
                var length = Math.Max(l.GetArrayLength(), r.GetArrayLength());
                for (var i = 0; i < length; i++)
                {
                    Compare(path.Element(i), ElementAt(l, i), ElementAt(r, i), differences);
                }

                break;
            case JsonValueKind.Number when !ExactNumber.AreEqual(l.GetRawText(), r.GetRawText()):
            case JsonValueKind.String when l.GetString() != r.GetString():
                differences.Add(new JsonDifference(path, l, r));
                break;
        }
    }

    private static void CompareObjects(JsonPath path, JsonElement left, JsonElement right, List<JsonDifference> differences)
    {
        // A name given twice counts once, with its last value (as most JSON readers keep it).
        var leftMembers = Members(left);
        var rightMembers = Members(right);
        foreach (var (name, value) in leftMembers)
        {
            Compare(path.Member(name), value, rightMembers.TryGetValue(name, out var other) ? other : null, differences);
        }

        foreach (var (name, value) in rightMembers)
        {
            if (!leftMembers.ContainsKey(name))
            {
                differences.Add(new JsonDifference(path.Member(name), null, value));
            }
        }
    }

    private static Dictionary<string, JsonElement> Members(JsonElement element)
    {
        var members = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            members[property.Name] = property.Value;
        }

        return members;
    }

    private static JsonElement? ElementAt(JsonElement array, int index) => index < array.GetArrayLength() ? array[index] : null;
}
