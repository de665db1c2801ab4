using System.Diagnostics;
using System.Text.Json;

namespace CanaryDemo.AppHost;

/// <summary>
/// The local token issuer (<c>tools/local-issuer</c>, also behind <c>scripts/mint-token</c>): its
/// key is created on first use in the state folder; it names its own issuer and audience.
/// </summary>
internal static class LocalIssuer
{
    public static string Script => Path.Combine(RepositoryLayout.Root, "tools", "local-issuer", "issuer.mjs");

    /// <summary>What an api needs to trust the tokens it mints.</summary>
    public static JwtIssuer Trust(string stateFolder)
    {
        using var settings = JsonDocument.Parse(Run("api-settings", stateFolder));
        var root = settings.RootElement;
        return new JwtIssuer(root.GetProperty("issuer").GetString()!, root.GetProperty("audience").GetString()!, root.GetProperty("signingKeys").GetString()!);
    }

    /// <summary>A token for tenant 1, valid for an hour, for the ready message.</summary>
    public static string MintExample(string stateFolder) => Run("mint", stateFolder, "--tenant", "1").Trim();

    private static string Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"the local issuer failed ({Script} {arguments[0]}): {error.Result}");
        }

        return output.Result;
    }
}
