using CanaryDemo.Shared.Canary;
using CanaryDemo.Shared.Canary.Observability;
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
    /// <summary>The name and version in every log event, span and metric resource.</summary>
    public static ServiceIdentity Service { get; } = ServiceIdentity.Of("store-service", typeof(StoreLogging).Assembly);

    public static Logger CreateLogger() => new LoggerConfiguration()
        .MinimumLevel.Information()
        .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
        .MinimumLevel.Override("Grpc", LogEventLevel.Warning)
        // The probe's failures are logged once per transition by HealthTransitionLogger,
        // not as an error with a stack trace every probe interval.
        .MinimumLevel.Override("Microsoft.Extensions.Diagnostics.HealthChecks", LogEventLevel.Fatal)
        .Enrich.FromLogContext()
        .Enrich.WithCanary()
        .Enrich.WithProperty("service", Service.Name)
        .Enrich.WithProperty("version", Service.Version)
        .WriteTo.Console(new RenderedCompactJsonFormatter())
        .CreateLogger();
}
