using System.Reflection;

namespace CanaryDemo.AppHost;

/// <summary>Where the repository and the build output of its programs are.</summary>
internal static class RepositoryLayout
{
    /// <summary>The checkout the AppHost was built from (the folder above its project).</summary>
    public static string Root { get; } = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(new Projects.ApiService().ProjectPath)!, ".."));

    /// <summary>The configuration the AppHost was built in; its project references were built in the same one.</summary>
    public static string Configuration { get; } =
        typeof(RepositoryLayout).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>A project's assembly as its build left it: <c>&lt;project&gt;/bin/&lt;configuration&gt;/net10.0/&lt;name&gt;.dll</c>.</summary>
    public static string BuiltAssembly(string projectPath, string configuration)
    {
        var name = Path.GetFileNameWithoutExtension(projectPath);
        return Path.Combine(Path.GetDirectoryName(projectPath)!, "bin", configuration, "net10.0", $"{name}.dll");
    }
}
