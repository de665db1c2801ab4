namespace CanaryDemo.Testing;

/// <summary>Locations in the repository checkout the tests run from.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "tools", "dynalite", "package.json")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No repository root (tools/dynalite/package.json) above {AppContext.BaseDirectory}.");
    }
}
