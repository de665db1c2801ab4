using Microsoft.Extensions.Configuration;

namespace CanaryDemo.AppHost;

/// <summary>Where the dashboard's UI answers, when it runs (Aspire.Hosting.Testing turns it off unless a test asks for it).</summary>
internal sealed class DashboardAddress(string? url)
{
    public string? Url { get; } = url;

    /// <summary>
    /// The dashboard's settings, read by the orchestrator while its builder is created: where the UI
    /// and the OTLP endpoint listen when the run command chose their ports (Aspire.Hosting.Testing
    /// picks free ones), plain HTTP (no certificate), and no login or key. Without one on loopback: every local process can read
    /// the telemetry anyway, and scripts and tests read its telemetry API (<c>/api/telemetry/traces</c>,
    /// ...). The UI, its OTLP endpoint and the API then trust whoever connects, so they listen on
    /// 127.0.0.1 only.
    /// </summary>
    public static string[] Arguments(string[] args)
    {
        var options = new ConfigurationBuilder().AddCommandLine(args).Build()
            .GetSection(StackOptions.SectionName).Get<StackOptions>() ?? new StackOptions();
        List<string> arguments = ["--ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true", "--ASPIRE_ALLOW_UNSECURED_TRANSPORT=true"];
        if (options.DashboardPort is { } port)
        {
            arguments.Add($"--ASPNETCORE_URLS=http://127.0.0.1:{FreePorts.OrFree(port)}");
        }

        if (options.OtlpPort is { } otlp)
        {
            arguments.Add($"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:{FreePorts.OrFree(otlp)}");
        }

        return [.. arguments];
    }

    public static string? FirstUrl(IConfiguration configuration) =>
        configuration["ASPNETCORE_URLS"]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
}
