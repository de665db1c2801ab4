using System.Security.Cryptography;

namespace CanaryDemo.AppHost;

/// <summary>
/// The state folder of one run: <c>logs/&lt;name&gt;.log</c>, <c>pids/&lt;name&gt;</c>,
/// <c>urls/&lt;name&gt;</c> and <c>env/&lt;name&gt;</c> of every process, the DynamoDB data, the page-token
/// key, the routing file and the stable ref's worktree.
/// </summary>
public sealed class StackState
{
    private StackState(string folder, bool temporary)
    {
        Folder = folder;
        Temporary = temporary;
        foreach (var sub in new[] { Logs, Pids, Urls, Environments })
        {
            Directory.CreateDirectory(sub);
        }
    }

    public string Folder { get; }

    /// <summary>Created for this run only (no folder was given): removed when the stack stops.</summary>
    public bool Temporary { get; }

    public string Logs => Path.Combine(Folder, "logs");

    public string Pids => Path.Combine(Folder, "pids");

    public string Urls => Path.Combine(Folder, "urls");

    /// <summary>Each process's environment as the AppHost set it (<c>NAME=value</c>, NUL-separated), e.g. for a benchmark that starts a copy alone.</summary>
    public string Environments => Path.Combine(Folder, "env");

    public string RoutingFile => Path.Combine(Folder, "proxy-routes.json");

    public string StableCheckout => Path.Combine(Folder, "stable-ref");

    public static StackState Open(string? folder) => folder is { Length: > 0 }
        ? new StackState(Path.GetFullPath(folder), temporary: false)
        : new StackState(Directory.CreateTempSubdirectory("canarydemo-stack-").FullName, temporary: true);

    public string LogOf(string name) => Path.Combine(Logs, $"{name}.log");

    public string DataOf(string engine) => Path.Combine(Folder, engine);

    /// <summary>
    /// The page-token signing key every store track shares (as PR canaries share integration-001's),
    /// generated once and kept, so that page tokens survive a restart.
    /// </summary>
    public string PageTokenKey()
    {
        var file = Path.Combine(Folder, "page-token-key");
        if (!File.Exists(file))
        {
            File.WriteAllText(file, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n");
        }

        return File.ReadAllText(file).Trim();
    }
}
