using CanaryDemo.CanaryCheck.Json;

namespace CanaryDemo.CanaryCheck.Analysis;

/// <summary>
/// What of a response is compared: its status, its content type, or a place in its body (a JSON
/// path; <c>$</c> is the whole body, and a body that is no JSON is compared whole, as text).
/// </summary>
internal sealed record ResponseField(string Facet, JsonPath? Path)
{
    public static ResponseField Status { get; } = new("status", null);

    public static ResponseField ContentType { get; } = new("content-type", null);

    public static ResponseField Body(JsonPath path) => new("body", path);

    /// <summary>Whether this field is <paramref name="other"/> or lies inside it (a body path below another).</summary>
    public bool IsWithin(ResponseField other) =>
        Facet == other.Facet && (Path is null || other.Path is null ? Path == other.Path : Path.IsWithin(other.Path));

    public override string ToString() => Path?.ToString() ?? Facet;
}

/// <summary>
/// One field whose values differ between two responses; a value is written as JSON, or "(absent)".
/// <see cref="SameShape"/>: both have a value there, of the same kind (two strings, two numbers,
/// two answers), so only the value changed.
/// </summary>
internal sealed record FieldDifference(ResponseField Field, string Left, string Right, bool SameShape);
