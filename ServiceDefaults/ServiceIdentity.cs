using System.Reflection;

namespace CanaryDemo.ServiceDefaults;

/// <summary>The name and version a service reports in its telemetry (<c>service.name</c>, <c>service.version</c>).</summary>
public sealed record ServiceIdentity(string Name, string Version)
{
    /// <summary>The version is the assembly's informational version (set by the build, e.g. <c>1.2.0+3f2a9c1</c>).</summary>
    public static ServiceIdentity Of(string name, Assembly assembly) => new(
        name,
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown");
}
