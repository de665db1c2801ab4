using CanaryDemo.Shared.Canary;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Extensions.Logging;
using Serilog.Formatting.Compact;

namespace CanaryDemo.ServiceDefaults;

/// <summary>
/// Serilog, configured in code (configuration-driven Serilog is not trimming-safe): one JSON
/// object per line on stdout with <c>service</c>, <c>version</c>, <c>track</c>, <c>canary</c> and the
/// trace id (<c>@tr</c>). Each host gets its own logger; the static <c>Log.Logger</c> stays untouched, so
/// several hosts can run in one test process. With an OTLP endpoint (<see cref="ServiceTelemetry"/>)
/// the same events also go to the OpenTelemetry SDK's logger provider, which exports them with the
/// traces' resource, every property an attribute (Serilog's <c>WriteTo.Providers</c>).
/// </summary>
public static class ServiceLogging
{
    /// <summary>grpc-dotnet's logger of served calls, and its event "ErrorExecutingServiceMethod" (GrpcServerLog).</summary>
    private const string GrpcServerCallHandlerCategory = "Grpc.AspNetCore.Server.ServerCallHandler";
    private const int ErrorExecutingServiceMethodEventId = 6;

    /// <param name="service">Name and version, on every event.</param>
    /// <param name="track">The process's track, on every event; unknown while the configuration is not read yet.</param>
    /// <param name="providers">Where events also go besides stdout: the host's logger providers (see <see cref="AddServiceLogging"/>).</param>
    public static Logger CreateLogger(ServiceIdentity service, TrackIdentity? track = null, LoggerProviderCollection? providers = null)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
            .MinimumLevel.Override("Grpc", LogEventLevel.Warning)
            // A failed store call is logged once, by the api's exception handler, without the client's stack trace.
            .MinimumLevel.Override("Grpc.Net.Client", LogEventLevel.Error)
            // Health verdicts are logged once per change by HealthTransitionLogger, not at every probe.
            .MinimumLevel.Override("Microsoft.Extensions.Diagnostics.HealthChecks", LogEventLevel.Fatal)
            .Filter.ByExcluding(IsAbandonedCallReportedAsError)
            .Enrich.FromLogContext()
            .Enrich.WithCanaryContext()
            .Enrich.WithProperty("service", service.Name)
            .Enrich.WithProperty("version", service.Version);
        if (track is not null)
        {
            configuration.Enrich.WithProperty(CanaryHeaders.TrackProperty, track.Track);
        }

        if (providers is not null)
        {
            configuration.WriteTo.Providers(providers);
        }

        return configuration.WriteTo.Console(new RenderedCompactJsonFormatter()).CreateLogger();
    }

    /// <summary>
    /// grpc-dotnet logs a call whose client reset the stream or closed the connection while the
    /// request was read as an Error, "Error when executing service method", with Kestrel's exception
    /// (<see cref="ClientAborts.IsTransportAbort"/>), when it sees that exception before the request's
    /// cancellation (HttpContextServerCallContext.ProcessHandlerError, grpc-dotnet 2.x). That is no
    /// server error: the call's own RPC line reports it as CANCELLED and it is counted
    /// (<see cref="GrpcStatusMetricsMiddleware"/>). Every other error of grpc-dotnet stays.
    /// </summary>
    internal static bool IsAbandonedCallReportedAsError(LogEvent logEvent) =>
        logEvent.Level == LogEventLevel.Error
        && logEvent.Properties.TryGetValue("SourceContext", out var source) && source is ScalarValue { Value: GrpcServerCallHandlerCategory }
        && logEvent.Properties.TryGetValue("EventId", out var eventId) && eventId is StructureValue structure
        && structure.Properties.Any(property => property is { Name: "Id", Value: ScalarValue { Value: ErrorExecutingServiceMethodEventId } })
        && ClientAborts.IsTransportAbort(logEvent.Exception);

    /// <summary>
    /// The host's logger, also registered as <see cref="Serilog.ILogger"/> for request logging. The
    /// host's own logger providers (the slim builder's console) are removed: Serilog writes stdout.
    /// With <paramref name="writeToProviders"/>, events also go to the providers registered later
    /// (OpenTelemetry's, by <see cref="ServiceTelemetry"/>), which the logger factory adds when it is built.
    /// </summary>
    internal static IServiceCollection AddServiceLogging(this IServiceCollection services, ServiceIdentity service, TrackIdentity track, bool writeToProviders)
    {
        services.RemoveAll<ILoggerProvider>();
        var providers = writeToProviders ? new LoggerProviderCollection() : null;
        var logger = CreateLogger(service, track, providers);
        services.AddSingleton<Serilog.ILogger>(logger);
        return services.AddSerilog(logger, dispose: true, providers);
    }
}
