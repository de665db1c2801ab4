using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CanaryDemo.CanaryCheck.Scenarios;

/// <summary>
/// A YAML body as the JSON it stands for. Plain scalars that read as JSON literals become them
/// (numbers keep their exact text, so <c>299.990</c> is sent as written; <c>true</c>, <c>false</c>,
/// <c>null</c> and <c>~</c>); anything quoted, and every other scalar, is a string.
/// </summary>
internal static partial class YamlJson
{
    public static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(child =>
            KeyValuePair.Create(Key(child.Key), Convert(child.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Convert)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new ScenarioException(node, "only mappings, sequences and scalars can be a body"),
    };

    private static string Key(YamlNode key) =>
        key is YamlScalarNode { Value: { } name } ? name : throw new ScenarioException(key, "a body member's name must be a plain text");

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "" or "null" or "~" => null,
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            _ when JsonNumber().IsMatch(text) => JsonNode.Parse(text),
            _ => JsonValue.Create(text),
        };
    }

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$")]
    private static partial Regex JsonNumber();
}
