using System.Text.Json.Nodes;
using CanaryDemo.Shared.Canary;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CanaryDemo.CanaryCheck.Scenarios;

/// <summary>
/// Reads a scenario file (YAML) and checks it before anything is sent: known keys only, unique
/// step names, every placeholder either <c>${tenant}</c> or captured by an earlier step.
/// </summary>
internal static class ScenarioReader
{
    private static readonly string[] Methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

    /// <exception cref="ScenarioException">the file cannot be read or is not a valid scenario</exception>
    public static Scenario Read(string path)
    {
        string yaml;
        try
        {
            yaml = File.ReadAllText(path);
        }
        catch (IOException exception)
        {
            throw new ScenarioException($"{path}: {exception.Message}", exception);
        }
        catch (UnauthorizedAccessException exception)
        {
            throw new ScenarioException($"{path}: {exception.Message}", exception);
        }

        try
        {
            return Parse(yaml, path);
        }
        catch (ScenarioException exception)
        {
            throw new ScenarioException($"{path}: {exception.Message}", exception);
        }
    }

    /// <exception cref="ScenarioException">the text is not a valid scenario</exception>
    public static Scenario Parse(string yaml, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException exception)
        {
            throw new ScenarioException($"line {exception.Start.Line}: {exception.Message}", exception);
        }

        if (stream.Documents is not [{ RootNode: YamlMappingNode root }])
        {
            throw new ScenarioException("a scenario is one YAML document, a mapping with 'steps'");
        }

        var document = new Mapping(root, "the scenario", ["headers", "steps"]);
        var headers = Headers(document.Optional("headers"));
        if (document.Optional("steps") is not YamlSequenceNode { Children.Count: > 0 } stepNodes)
        {
            throw new ScenarioException(root, "'steps' must be a list of at least one step");
        }

        var known = new HashSet<string>(StringComparer.Ordinal) { RunVariables.Tenant };
        CheckVariables(root, "the scenario's headers", headers.SelectMany(VariablesOf), known);
        var steps = new List<ScenarioStep>();
        foreach (var node in stepNodes.Children)
        {
            var step = Step(node);
            if (steps.Any(other => other.Name == step.Name))
            {
                throw new ScenarioException(node, $"two steps are named '{step.Name}'");
            }

            CheckVariables(node, $"step '{step.Name}'", UsedVariables(step), known);
            foreach (var capture in step.Captures)
            {
                known.Add(capture.Variable);
            }

            steps.Add(step);
        }

        return new Scenario(source, headers, steps);
    }

    private static ScenarioStep Step(YamlNode node)
    {
        if (node is not YamlMappingNode mapping)
        {
            throw new ScenarioException(node, "a step is a mapping with at least 'name' and 'path'");
        }

        var step = new Mapping(mapping, "a step", ["name", "method", "path", "headers", "body", "raw_body", "capture", "latency"]);
        var name = step.RequiredText("name");
        var method = (step.OptionalText("method") ?? "GET").ToUpperInvariant();
        if (!Methods.Contains(method))
        {
            throw new ScenarioException(mapping, $"step '{name}': method must be one of {string.Join(", ", Methods)}");
        }

        var path = step.RequiredText("path");
        if (!path.StartsWith('/'))
        {
            throw new ScenarioException(mapping, $"step '{name}': path must start with / (it is appended to --url)");
        }

        var body = step.Optional("body");
        var rawBody = step.OptionalText("raw_body");
        if (body is not null && rawBody is not null)
        {
            throw new ScenarioException(mapping, $"step '{name}': give either body (JSON) or raw_body (sent as written), not both");
        }

        var latency = step.OptionalText("latency");
        if (latency is not (null or "true" or "false"))
        {
            throw new ScenarioException(mapping, $"step '{name}': latency must be true or false");
        }

        return new ScenarioStep(
            name,
            new HttpMethod(method),
            ParseTemplate(mapping, name, path),
            Headers(step.Optional("headers")),
            body is not null ? new JsonBody(YamlJson.Convert(body)) : rawBody is not null ? new RawBody(ParseTemplate(mapping, name, rawBody)) : null,
            Captures(step.Optional("capture"), name),
            latency is null ? method is "GET" or "HEAD" : latency == "true");
    }

    private static List<HeaderTemplate> Headers(YamlNode? node)
    {
        if (node is null)
        {
            return [];
        }

        if (node is not YamlMappingNode mapping)
        {
            throw new ScenarioException(node, "headers must be a mapping of header names to values");
        }

        var headers = new List<HeaderTemplate>();
        foreach (var (key, value) in mapping.Children)
        {
            var name = Text(key, "a header name");
            if (string.Equals(name, CanaryHeaders.HttpHeader, StringComparison.OrdinalIgnoreCase))
            {
                throw new ScenarioException(key, $"{CanaryHeaders.HttpHeader} is set by the check itself (on the canary run only)");
            }

            var text = Text(value, $"the value of {name}");
            var removed = value is YamlScalarNode { Style: ScalarStyle.Plain } && text is "null" or "~" or "";
            headers.Add(new HeaderTemplate(name, removed ? null : ParseTemplate(value, name, text)));
        }

        return headers;
    }

    private static List<Capture> Captures(YamlNode? node, string step)
    {
        if (node is null)
        {
            return [];
        }

        if (node is not YamlMappingNode mapping)
        {
            throw new ScenarioException(node, $"step '{step}': capture must map variable names to $.<path> or header:<name>");
        }

        var captures = new List<Capture>();
        foreach (var (key, value) in mapping.Children)
        {
            var variable = Text(key, "a variable name");
            if (variable == RunVariables.Tenant || Template.Parse($"${{{variable}}}").SoleVariable is null)
            {
                throw new ScenarioException(key, $"step '{step}': '{variable}' cannot be captured (a name of letters, digits and _, not 'tenant')");
            }

            try
            {
                captures.Add(Capture.Parse(variable, Text(value, $"the source of {variable}")));
            }
            catch (FormatException exception)
            {
                throw new ScenarioException(value, $"step '{step}': {exception.Message}");
            }
        }

        return captures;
    }

    private static IEnumerable<string> UsedVariables(ScenarioStep step) =>
        step.Path.Variables
            .Concat(step.Headers.SelectMany(VariablesOf))
            .Concat(step.Body switch
            {
                RawBody raw => raw.Text.Variables,
                JsonBody json => StringsOf(json.Json).SelectMany(text => Template.Parse(text).Variables),
                _ => [],
            });

    private static IEnumerable<string> VariablesOf(HeaderTemplate header) => header.Value?.Variables ?? [];

    private static IEnumerable<string> StringsOf(JsonNode? node) => node switch
    {
        JsonObject members => members.SelectMany(member => StringsOf(member.Value)),
        JsonArray elements => elements.SelectMany(StringsOf),
        JsonValue value when value.TryGetValue<string>(out var text) => [text],
        _ => [],
    };

    private static void CheckVariables(YamlNode node, string where, IEnumerable<string> used, HashSet<string> known)
    {
        foreach (var name in used)
        {
            if (!known.Contains(name))
            {
                throw new ScenarioException(node, $"{where} uses ${{{name}}}, which is neither ${{tenant}} nor captured by an earlier step");
            }
        }
    }

    private static Template ParseTemplate(YamlNode node, string where, string text)
    {
        try
        {
            return Template.Parse(text);
        }
        catch (FormatException exception)
        {
            throw new ScenarioException(node, $"{where}: {exception.Message}");
        }
    }

    private static string Text(YamlNode node, string what) =>
        node is YamlScalarNode { Value: { } text } ? text : throw new ScenarioException(node, $"{what} must be a text, not a list or mapping");

    /// <summary>A YAML mapping whose keys must be among the known ones (a misspelt key is an error, never ignored).</summary>
    private sealed class Mapping
    {
        private readonly YamlMappingNode _node;
        private readonly string _what;

        public Mapping(YamlMappingNode node, string what, string[] keys)
        {
            _node = node;
            _what = what;
            foreach (var key in node.Children.Keys)
            {
                var name = Text(key, "a key");
                if (!keys.Contains(name))
                {
                    throw new ScenarioException(key, $"{what} has no key '{name}' (known: {string.Join(", ", keys)})");
                }
            }
        }

        public YamlNode? Optional(string key) => _node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

        public string? OptionalText(string key) => Optional(key) is { } value ? Text(value, $"'{key}'") : null;

        public string RequiredText(string key) =>
            OptionalText(key) is { Length: > 0 } text ? text : throw new ScenarioException(_node, $"{_what} needs '{key}'");
    }
}
