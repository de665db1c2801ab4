using YamlDotNet.RepresentationModel;

namespace CanaryDemo.CanaryCheck.Scenarios;

/// <summary>A scenario that cannot be run as written; the message names the line.</summary>
internal sealed class ScenarioException : Exception
{
    public ScenarioException(string message)
        : base(message)
    {
    }

    public ScenarioException(YamlNode node, string message)
        : base($"line {node.Start.Line}: {message}")
    {
    }

    public ScenarioException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ScenarioException()
    {
    }
}
