using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CanaryDemo.Shared.Canary.Observability;

/// <summary>
/// The OpenTelemetry set-up both services share: traces, metrics, the Prometheus endpoint on the
/// management port, and OTLP export when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// <c>OTEL_SDK_DISABLED=true</c> turns all of it off.
/// </summary>
public static class ObservabilityExtensions
{
    /// <summary>Environment variable that enables the OTLP exporter (its other settings are the standard <c>OTEL_EXPORTER_OTLP_*</c>).</summary>
    private const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <param name="builder">The service's builder.</param>
    /// <param name="service">Reported as the <c>service.name</c> and <c>service.version</c> resource attributes.</param>
    /// <param name="applicationProtocols">
    /// What the application endpoints speak, null for Kestrel's default; the management port speaks HTTP/1.1.
    /// </param>
    /// <param name="meters">The service's own meters, exported next to the framework's.</param>
    public static WebApplicationBuilder AddObservability(
        this WebApplicationBuilder builder, ServiceIdentity service, HttpProtocols? applicationProtocols = null, params string[] meters)
    {
        var management = ManagementListener.Configure(builder, applicationProtocols);

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(service.Name, serviceVersion: service.Version))
            .WithTracing(tracing => tracing
                .AddProcessor<CanarySpanProcessor>()
                // gRPC server calls are ASP.NET Core requests. Scrapes and probes are not worth a trace.
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context =>
                    !IsManagement(context, management) && !IsProbe(context.Request.Path))
                // One client span per store call; the HTTP/2 request under it would repeat it.
                .AddGrpcClientInstrumentation(grpc => grpc.SuppressDownstreamInstrumentation = true)
                // Only calls made while serving a request, not the store's background DynamoDB probe.
                // The filter runs with the call's own activity current: a root one is background work.
                .AddHttpClientInstrumentation(http => http.FilterHttpRequestMessage = _ => Activity.Current?.Parent is not null))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(meters)
                .AddPrometheusExporter());

        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]))
        {
            telemetry
                .WithTracing(tracing => tracing.AddOtlpExporter())
                .WithMetrics(metrics => metrics.AddOtlpExporter());
        }

        return builder;
    }

    /// <summary>
    /// Answers <c>/metrics</c> on the management port and nothing else there; labels gRPC request
    /// metrics with their status. Call it first, before any middleware of the application.
    /// </summary>
    public static WebApplication UseObservability(this WebApplication app)
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
        app.UseMiddleware<GrpcStatusMetricsMiddleware>();
        return app;
    }

    private static bool IsManagement(HttpContext context, ManagementOptions management) =>
        context.Connection.LocalPort == management.Port;

    /// <summary>Kubernetes probes: HTTP health endpoints and the gRPC health service.</summary>
    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/healthz") || path.StartsWithSegments("/grpc.health.v1.Health");
}
