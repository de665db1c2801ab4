using CanaryDemo.Shared.Canary;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Instrumentation.AspNetCore;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CanaryDemo.ServiceDefaults;

/// <summary>
/// OpenTelemetry for both services: metrics with the Prometheus endpoint on the management port,
/// and, when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, traces, metrics and the log events (see
/// <see cref="ServiceLogging"/>) exported over OTLP by the SDK's exporter, with one resource. <c>OTEL_SDK_DISABLED=true</c> turns traces and metrics off.
/// </summary>
internal static class ServiceTelemetry
{
    /// <summary>Environment variable that enables the OTLP exporter (its other settings are the standard <c>OTEL_EXPORTER_OTLP_*</c>).</summary>
    private const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// Label sets per metric stream before new ones go to the <c>otel.metric.overflow</c> series: a
    /// service's routes, methods and statuses times the tracks and PR numbers that reach one pod.
    /// </summary>
    public const int MetricCardinalityLimit = 200;

    public static WebApplicationBuilder AddServiceTelemetry(this WebApplicationBuilder builder, ServiceIdentity service, string[] meters)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            // OTEL_RESOURCE_ATTRIBUTES last: an instance id given there (the local AppHost names each
            // track's process by it) wins over the generated one.
            .ConfigureResource(resource => resource.AddService(service.Name, serviceVersion: service.Version).AddEnvironmentVariableDetector())
            .WithMetrics(metrics => metrics
                // Every metric stream allocates its points up front: with the SDK's default of 2,000
                // (AggregatorStore), each of the ~45 streams held a 160 KiB array, about 7 MiB of
                // large-object heap per process. A canary's busiest stream has a few dozen label
                // sets; label sets beyond the limit are still counted, in the overflow series.
                .AddView(_ => new MetricStreamConfiguration { CardinalityLimit = MetricCardinalityLimit })
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(CanaryMetrics.MeterName, ClientAborts.MeterName)
                .AddMeter(meters)
                .AddPrometheusExporter());

        if (!ExportsOtlp(builder.Configuration))
        {
            // Spans would go nowhere, so none are recorded. The trace context still flows: ASP.NET
            // Core starts each request's Activity for the logs (@tr), and HttpClient sends it on.
            return builder;
        }

        telemetry
            .WithTracing(tracing => tracing
                .SetSampler(new ParentBasedSampler(new IncomingRequestSampler()))
                .AddCanaryContext()
                // gRPC server calls are ASP.NET Core requests (filtered below).
                .AddAspNetCoreInstrumentation()
                // One client span per store call; the HTTP/2 request under it would repeat it.
                .AddGrpcClientInstrumentation(grpc => grpc.SuppressDownstreamInstrumentation = true)
                .AddHttpClientInstrumentation()
                .AddOtlpExporter())
            .WithMetrics(metrics => metrics.AddOtlpExporter())
            // Serilog's events (ServiceLogging writes them to this provider): the message rendered, as in stdout.
            .WithLogging(logging => logging.AddOtlpExporter(), options => options.IncludeFormattedMessage = true);
        // Scrapes and probes are not worth a trace.
        builder.Services.AddOptions<AspNetCoreTraceInstrumentationOptions>().Configure<IOptions<ManagementOptions>>(
            (aspNetCore, management) => aspNetCore.Filter = context =>
                !IsManagement(context, management.Value) && !IsProbe(context.Request.Path));
        return builder;
    }

    /// <summary>Whether an OTLP endpoint is configured; without one nothing is exported (and nothing is set up for it).</summary>
    public static bool ExportsOtlp(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable]);

    public static WebApplication UseServiceTelemetry(this WebApplication app)
    {
        var management = app.Services.GetRequiredService<IOptions<ManagementOptions>>().Value;
        app.MapWhen(context => IsManagement(context, management), port =>
        {
            // Scrapes would otherwise show up as traffic in the very request metrics they collect.
            port.Use((context, next) =>
            {
                if (context.Features.Get<IHttpMetricsTagsFeature>() is { } metrics)
                {
                    metrics.MetricsDisabled = true;
                }

                return next(context);
            });
            port.UseOpenTelemetryPrometheusScrapingEndpoint(ManagementOptions.MetricsPath);
            port.Run(context =>
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            });
        });
        // Every request's metrics say which track served it, next to the canary it asked for.
        var track = app.Services.GetRequiredService<TrackIdentity>().Track;
        app.Use((context, next) =>
        {
            context.Features.Get<IHttpMetricsTagsFeature>()?.Tags.Add(new(CanaryHeaders.TrackProperty, track));
            return next(context);
        });
        app.UseMiddleware<GrpcStatusMetricsMiddleware>();
        return app;
    }

    private static bool IsManagement(HttpContext context, ManagementOptions management) =>
        context.Connection.LocalPort == management.Port;

    /// <summary>Kubernetes probes: HTTP health endpoints and the gRPC health service.</summary>
    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/healthz") || path.StartsWithSegments("/grpc.health.v1.Health");
}
