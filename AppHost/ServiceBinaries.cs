using Microsoft.Extensions.Configuration;

namespace CanaryDemo.AppHost;

/// <summary>
/// What a service track runs: its build output as <c>dotnet &lt;Service&gt;.dll</c>, or the binary
/// that <c>STORE_SERVICE_EXECUTABLE</c> / <c>API_SERVICE_EXECUTABLE</c> name (a Native AOT publish).
/// An executable, not an Aspire project resource: a project resource is started through
/// <c>dotnet run</c>, one more process per track, whose id would stand in for the service's.
/// </summary>
internal sealed record ServiceBinary(string Command, string[] Arguments)
{
    public const string StoreExecutableVariable = "STORE_SERVICE_EXECUTABLE";
    public const string ApiExecutableVariable = "API_SERVICE_EXECUTABLE";

    /// <summary>The working tree's build of <paramref name="service"/>, or the binary the environment names.</summary>
    public static ServiceBinary Of(string service, IConfiguration configuration)
    {
        var (variable, project) = Project(service);
        return configuration[variable] is { Length: > 0 } executable
            ? new ServiceBinary(executable, [])
            : Dotnet(RepositoryLayout.BuiltAssembly(project, RepositoryLayout.Configuration));
    }

    /// <summary>The Release build of <paramref name="service"/> in another checkout (the stable ref's worktree).</summary>
    public static ServiceBinary InCheckout(string service, string checkout)
    {
        var relative = Path.GetRelativePath(RepositoryLayout.Root, Project(service).Project);
        return Dotnet(RepositoryLayout.BuiltAssembly(Path.Combine(checkout, relative), "Release"));
    }

    private static ServiceBinary Dotnet(string assembly) => new("dotnet", [assembly]);

    private static (string Variable, string Project) Project(string service) => service switch
    {
        LocalServices.StoreService => (StoreExecutableVariable, new Projects.StoreService().ProjectPath),
        LocalServices.ApiService => (ApiExecutableVariable, new Projects.ApiService().ProjectPath),
        _ => throw new ArgumentOutOfRangeException(nameof(service), service, "not a service of the stack"),
    };
}
