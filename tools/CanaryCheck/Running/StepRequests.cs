using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CanaryDemo.CanaryCheck.Scenarios;
using CanaryDemo.Shared.Canary;

namespace CanaryDemo.CanaryCheck.Running;

/// <summary>
/// A step's request for one run: its placeholders filled from the run's variables, the headers
/// of the scenario, then the run's own (<c>--header</c>, a token), then the step's, and
/// <c>X-Canary</c> on the canary run only.
/// </summary>
internal static class StepRequests
{
    private const string JsonMediaType = "application/json";

    /// <summary>The request, or false with the variable it needs and the run does not have.</summary>
    public static bool TryBuild(
        Uri baseUrl, Scenario scenario, ScenarioStep step, RunTarget target, RunVariables variables, out HttpRequestMessage? request, out string? missing)
    {
        request = null;
        if (!step.Path.TryRender(variables, Uri.EscapeDataString, out var path, out missing))
        {
            return false;
        }

        var headers = new List<KeyValuePair<string, string?>>();
        foreach (var header in scenario.Headers)
        {
            if (!TryAdd(headers, header, variables, out missing))
            {
                return false;
            }
        }

        foreach (var (name, value) in target.Headers)
        {
            Put(headers, name, value);
        }

        foreach (var header in step.Headers)
        {
            if (!TryAdd(headers, header, variables, out missing))
            {
                return false;
            }
        }

        if (!TryBody(step.Body, variables, out var body, out missing))
        {
            return false;
        }

        var message = new HttpRequestMessage(step.Method, new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + path));
        if (body is not null)
        {
            message.Content = new StringContent(body, Encoding.UTF8);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue(JsonMediaType);
        }

        foreach (var (name, value) in headers)
        {
            if (value is null)
            {
                continue;
            }

            if (string.Equals(name, "Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                message.Content?.Headers.Remove(name);
                message.Content?.Headers.TryAddWithoutValidation(name, value);
            }
            else
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (target.Canary is { } canary)
        {
            message.Headers.TryAddWithoutValidation(CanaryHeaders.HttpHeader, canary);
        }

        request = message;
        return true;
    }

    private static bool TryAdd(List<KeyValuePair<string, string?>> headers, HeaderTemplate header, RunVariables variables, out string? missing)
    {
        missing = null;
        string? value = null;
        if (header.Value is not null && !header.Value.TryRender(variables, text => text, out value, out missing))
        {
            return false;
        }

        Put(headers, header.Name, value);
        return true;
    }

    /// <summary>A later header of the same name replaces an earlier one; a null value removes it.</summary>
    private static void Put(List<KeyValuePair<string, string?>> headers, string name, string? value)
    {
        headers.RemoveAll(header => string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase));
        headers.Add(KeyValuePair.Create(name, value));
    }

    private static bool TryBody(StepBody? body, RunVariables variables, out string? text, out string? missing)
    {
        text = null;
        missing = null;
        switch (body)
        {
            case RawBody raw:
                return raw.Text.TryRender(variables, value => value, out text, out missing);
            case JsonBody json:
                if (!TryRender(json.Json, variables, out var node, out missing))
                {
                    return false;
                }

                text = node?.ToJsonString() ?? "null";
                return true;
            default:
                return true;
        }
    }

    /// <summary>A copy of a JSON body with its string templates filled; a string that is one placeholder becomes the captured JSON value.</summary>
    private static bool TryRender(JsonNode? node, RunVariables variables, out JsonNode? rendered, out string? missing)
    {
        rendered = null;
        missing = null;
        switch (node)
        {
            case JsonObject members:
                var renderedObject = new JsonObject();
                foreach (var (name, value) in members)
                {
                    if (!TryRender(value, variables, out var child, out missing))
                    {
                        return false;
                    }

                    renderedObject[name] = child;
                }

                rendered = renderedObject;
                return true;
            case JsonArray elements:
                var renderedArray = new JsonArray();
                foreach (var element in elements)
                {
                    if (!TryRender(element, variables, out var child, out missing))
                    {
                        return false;
                    }

                    renderedArray.Add(child);
                }

                rendered = renderedArray;
                return true;
            case JsonValue value when value.TryGetValue<string>(out var text):
                var template = Template.Parse(text);
                if (template.SoleVariable is { } sole)
                {
                    if (!variables.TryGet(sole, out var captured))
                    {
                        missing = sole;
                        return false;
                    }

                    rendered = JsonNode.Parse(captured.Json);
                    return true;
                }

                if (!template.TryRender(variables, part => part, out var filled, out missing))
                {
                    return false;
                }

                rendered = JsonValue.Create(filled);
                return true;
            default:
                rendered = node?.DeepClone();
                return true;
        }
    }
}
