using Aspire.Hosting.ApplicationModel;

namespace CanaryDemo.AppHost;

/// <summary>Traces, logs and metrics of a process to the dashboard, over OTLP/gRPC (Aspire injects the endpoint).</summary>
internal static class StackTelemetry
{
    public static IResourceBuilder<ExecutableResource> WithTelemetry(
        this IResourceBuilder<ExecutableResource> resource, bool enabled, string service, string? track)
    {
        if (!enabled)
        {
            return resource;
        }

        return resource.WithOtlpExporter().WithEnvironment(context =>
        {
            // Every track reports as its service (service.name), as in the cluster, and the track is
            // its instance: the dashboard then names each copy (api-service-stable, api-service-pr-42)
            // wherever more than one copy of a service sends telemetry.
            context.EnvironmentVariables["OTEL_SERVICE_NAME"] = service;
            if (track is not null)
            {
                context.EnvironmentVariables["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={track}";
            }

            // A second instead of the SDK's 5 s (spans, logs) and 60 s (metrics): what a person just
            // did shows up at once.
            context.EnvironmentVariables["OTEL_BSP_SCHEDULE_DELAY"] = "1000";
            context.EnvironmentVariables["OTEL_BLRP_SCHEDULE_DELAY"] = "1000";
            context.EnvironmentVariables["OTEL_METRIC_EXPORT_INTERVAL"] = "5000";
        });
    }
}
