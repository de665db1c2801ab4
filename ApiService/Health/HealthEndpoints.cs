using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CanaryDemo.ApiService.Health;

internal static class HealthEndpoints
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddApiHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<StoreHealthCheck>("store", tags: [ReadyTag]);
        // The background round whose changes HealthTransitionLogger reports; probes run their own checks.
        services.Configure<HealthCheckPublisherOptions>(publisher =>
        {
            publisher.Delay = TimeSpan.Zero;
            publisher.Period = TimeSpan.FromSeconds(5);
        });
        return services;
    }

    /// <summary>
    /// <c>/health</c>: the original example's liveness answer. <c>/healthz/live</c>: the process serves HTTP
    /// (no dependency checks, so a store outage never restarts the api). <c>/healthz/ready</c>:
    /// 503 while the store is not serving, so traffic only reaches pods that can answer.
    /// </summary>
    public static IEndpointRouteBuilder MapApiHealthEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health", GetHealth).WithTags("Health").WithName(nameof(GetHealth))
            .WithSummary("Liveness")
            .WithDescription("Answers {\"status\":\"healthy\"} while the process serves HTTP; it checks no dependency (readiness, which follows the store, is /healthz/ready).");
        routes.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = _ => false });
        routes.MapHealthChecks("/healthz/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        return routes;
    }

    public static Ok<HealthStatus> GetHealth() => TypedResults.Ok(new HealthStatus("healthy"));
}
