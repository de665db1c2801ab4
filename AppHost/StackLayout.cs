namespace CanaryDemo.AppHost;

/// <summary>A process of the stack: its name (resource, log, pid and url file), where it listens and what it is.</summary>
/// <param name="Name">e.g. <c>api-service-pr-42</c>.</param>
/// <param name="Port">Its (application) port; none for a step that runs to completion.</param>
/// <param name="MetricsPort">A service's management port (<c>/metrics</c>).</param>
/// <param name="RunsToCompletion">A step the others wait for (the stable ref's build, the routing file), not a server.</param>
public sealed record StackProcess(string Name, int? Port, int? MetricsPort = null, bool RunsToCompletion = false)
{
    public string? Url => Port is { } port ? $"http://127.0.0.1:{port}" : null;
}

/// <summary>What the stack consists of, in start order, for the run report and for tests.</summary>
public sealed class StackLayout(StackOptions options, StackState state)
{
    private readonly List<StackProcess> _processes = [];

    public StackOptions Options { get; } = options;

    public StackState State { get; } = state;

    public IReadOnlyList<StackProcess> Processes => _processes;

    /// <summary>The port callers use for the api (the stable api-service, or the local edge with PR tracks).</summary>
    public int ApiPort { get; internal set; }

    /// <summary>The port api tracks dial for the store (the stable store-service, or the local east-west proxy with PR tracks).</summary>
    public int StorePort { get; internal set; }

    public int DynamoPort { get; internal set; }

    /// <summary>Whether PR tracks run behind the local proxies.</summary>
    public bool HasPrTracks { get; internal set; }

    /// <summary>The issuer the api tracks trust in jwt mode; null in header mode.</summary>
    public JwtIssuer? Jwt { get; internal set; }

    public StackProcess this[string name] => _processes.Single(process => process.Name == name);

    internal StackProcess Add(StackProcess process)
    {
        _processes.Add(process);
        return process;
    }
}
