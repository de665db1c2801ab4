using System.Text.Json.Nodes;

namespace CanaryDemo.CanaryCheck.Scenarios;

/// <summary>The requests every run sends, in order (the format is docs/README.md, "Writing a scenario").</summary>
internal sealed record Scenario(string Source, IReadOnlyList<HeaderTemplate> Headers, IReadOnlyList<ScenarioStep> Steps);

/// <summary>One request of the scenario, what it keeps for later steps, and whether its latency is measured.</summary>
internal sealed record ScenarioStep(
    string Name,
    HttpMethod Method,
    Template Path,
    IReadOnlyList<HeaderTemplate> Headers,
    StepBody? Body,
    IReadOnlyList<Capture> Captures,
    bool MeasuresLatency);

/// <summary>A request header; a null value removes a header the scenario sends by default.</summary>
internal sealed record HeaderTemplate(string Name, Template? Value);

internal abstract record StepBody;

/// <summary>A JSON body; its strings are templates.</summary>
internal sealed record JsonBody(JsonNode? Json) : StepBody;

/// <summary>A body sent exactly as written (malformed JSON, another media type).</summary>
internal sealed record RawBody(Template Text) : StepBody;
