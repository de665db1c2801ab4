using System.Reflection;
using CanaryDemo.Shared.Canary;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace CanaryDemo.StoreService.Hosting;

/// <summary>
/// Serilog, configured in code (configuration-driven Serilog is not trimming-safe): one JSON
/// object per line on stdout with <c>service</c>, <c>version</c>, <c>canary</c>, <c>tenant</c>
/// and the trace id (<c>@tr</c>).
/// </summary>
internal static class StoreLogging
{
    public const string ServiceName = "store-service";

    public static string Version { get; } =
        typeof(StoreLogging).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? "unknown";

    public static Logger CreateLogger() => new LoggerConfiguration()
        .MinimumLevel.Information()
        .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
        .MinimumLevel.Override("Grpc", LogEventLevel.Warning)
        // The probe's failures are logged once per transition by HealthTransitionLogger,
        // not as an error with a stack trace every probe interval.
        .MinimumLevel.Override("Microsoft.Extensions.Diagnostics.HealthChecks", LogEventLevel.Fatal)
        .Enrich.FromLogContext()
        .Enrich.WithCanary()
        .Enrich.WithProperty("service", ServiceName)
        .Enrich.WithProperty("version", Version)
        .WriteTo.Console(new RenderedCompactJsonFormatter())
        .CreateLogger();
}
