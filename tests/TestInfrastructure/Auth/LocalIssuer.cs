using System.Diagnostics;
using System.Text.Json;
using CanaryDemo.AppHost;

namespace CanaryDemo.Testing.Auth;

/// <summary>
/// The run command's local token issuer (<c>tools/local-issuer/issuer.mjs</c>, what
/// <c>scripts/run --auth jwt</c> and <c>scripts/mint-token</c> call) with a state folder of its own.
/// </summary>
public sealed class LocalIssuer(string stateDirectory)
{
    private static string Script => Path.Combine(RepositoryPaths.Root, "tools", "local-issuer", "issuer.mjs");

    /// <summary>What the run command's AppHost makes the api trust: the issuer's name, audience and public keys.</summary>
    public async Task<JwtIssuer> ApiSettingsAsync()
    {
        using var settings = JsonDocument.Parse(await RunAsync("api-settings", stateDirectory));
        var root = settings.RootElement;
        return new JwtIssuer(root.GetProperty("issuer").GetString()!, root.GetProperty("audience").GetString()!, root.GetProperty("signingKeys").GetString()!);
    }

    public Task<string> MintAsync(long tenant, string user) =>
        RunAsync("mint", stateDirectory, "--tenant", tenant.ToString(System.Globalization.CultureInfo.InvariantCulture), "--user", user);

    private static async Task<string> RunAsync(params string[] arguments)
    {
        if (!Directory.Exists(Path.Combine(RepositoryPaths.Root, "tools", "local-issuer", "node_modules", "jose")))
        {
            throw new InvalidOperationException("The local issuer is not installed: run `npm ci --prefix tools/local-issuer` in the repository root first.");
        }

        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return process.ExitCode == 0
            ? (await output).Trim()
            : throw new InvalidOperationException($"issuer.mjs {string.Join(' ', arguments)} failed: {await error}");
    }
}
