using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CanaryDemo.LocalProxy;

/// <summary>
/// The proxy takes part in every request's trace: a server span for the request it received and a
/// client span for the one it forwarded, whose context is what the track behind it continues.
/// <para>
/// Forwarding its own activity's <c>traceparent</c> is what YARP does (its ReverseProxyPropagator
/// replaces the caller's trace headers). Without a sampler that records, that activity is
/// unsampled, the header ends in <c>-00</c>, and the services' parent-based sampler then drops
/// every request behind the proxy. So a request without a sampling decision is sampled here (the
/// root of its trace, like Traefik with tracing on and its default sample rate of 1.0), and a
/// caller's decision is kept. Spans leave the process only when an OTLP endpoint is configured
/// (OTEL_EXPORTER_OTLP_ENDPOINT, set by the AppHost while its dashboard runs).
/// </para>
/// </summary>
internal static class ProxyTelemetry
{
    public static WebApplicationBuilder AddProxyTelemetry(this WebApplicationBuilder builder)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing
                .SetSampler(new ParentBasedSampler(new AlwaysOnSampler()))
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation());
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry
                .WithLogging(configureBuilder: null, configureOptions: logging => logging.IncludeFormattedMessage = true)
                .WithMetrics(metrics => metrics.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation())
                .UseOtlpExporter();
        }

        return builder;
    }
}
