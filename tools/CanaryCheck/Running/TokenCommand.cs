using System.Diagnostics;
using System.Globalization;

namespace CanaryDemo.CanaryCheck.Running;

/// <summary>
/// <c>--token-command</c>: a shell command that prints a bearer token for a tenant, run once per
/// run with <c>CANARY_CHECK_TENANT</c> set, so that each run gets a token of its own fresh tenant
/// (an api in Jwt mode takes the tenant from the token).
/// </summary>
internal static class TokenCommand
{
    public const string TenantVariable = "CANARY_CHECK_TENANT";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <exception cref="CheckCannotRunException">the command failed, timed out or printed no single token</exception>
    public static async Task<string> TokenForAsync(string command, long tenant, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("/bin/sh", ["-c", command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment[TenantVariable] = tenant.ToString(CultureInfo.InvariantCulture);
        using var process = Process.Start(start) ?? throw new CheckCannotRunException($"--token-command could not start: {command}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new CheckCannotRunException($"--token-command did not finish within {Timeout.TotalSeconds:0} s: {command}");
        }

        var token = (await output).Trim();
        if (process.ExitCode != 0)
        {
            throw new CheckCannotRunException($"--token-command exited with {process.ExitCode} for tenant {tenant}: {(await errors).Trim()}");
        }

        if (token.Length == 0 || token.Any(char.IsWhiteSpace))
        {
            throw new CheckCannotRunException($"--token-command must print one token for tenant {tenant}, not '{token}'");
        }

        return token;
    }
}
