using CanaryDemo.Shared.Canary;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace CanaryDemo.ServiceDefaults;

/// <summary>
/// What every CanaryDemo service shares, in the spirit of eShop's ServiceDefaults: logging
/// (with <see cref="LogThrottle"/> for expected failures), telemetry, health-transition logging, graceful shutdown
/// and the release of start-up memory (<see cref="StartupMemoryRelease"/>). Listeners are configured by
/// <see cref="ManagementListener.ConfigureListeners"/>, the pipeline by <see cref="UseServiceDefaults"/>.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>
    /// How long a stopping service waits for requests in flight (configurable as
    /// <c>HostOptions:ShutdownTimeout</c>); below the pods' termination grace period.
    /// </summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(20);

    /// <param name="builder">The service's builder.</param>
    /// <param name="service">Its name and version, on every log event, span and metric resource.</param>
    /// <param name="meters">The service's own meters, exported next to the framework's.</param>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, ServiceIdentity service, params string[] meters)
    {
        // Read first: the track is on every log event, span and request metric.
        var track = builder.Services.AddCanaryTrack(builder.Configuration, service.Name);
        builder.Services.AddServiceLogging(service, track, ServiceTelemetry.ExportsOtlp(builder.Configuration));
        builder.AddServiceTelemetry(service, meters);
        builder.Services.AddSingleton<IHealthCheckPublisher, HealthTransitionLogger>();
        builder.Services.AddSingleton<StartupMemoryRelease>();
        builder.Services.AddSingleton<IHealthCheckPublisher>(services => services.GetRequiredService<StartupMemoryRelease>());
        builder.Services.AddHostedService(services => services.GetRequiredService<StartupMemoryRelease>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<LogThrottle>();
        builder.Services.AddSingleton<ClientAborts>();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = ShutdownTimeout);
        builder.Services.Configure<HostOptions>(builder.Configuration.GetSection("HostOptions"));
        return builder;
    }

    /// <summary>
    /// Answers <c>/metrics</c> on the management port and nothing else there; labels gRPC request
    /// metrics with their status. Call it first, before any middleware of the application.
    /// </summary>
    public static WebApplication UseServiceDefaults(this WebApplication app) => app.UseServiceTelemetry();
}
