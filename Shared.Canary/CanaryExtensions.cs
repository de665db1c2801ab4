using Grpc.AspNetCore.Server;
using Grpc.Net.ClientFactory;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;
using Serilog;
using Serilog.Configuration;

namespace CanaryDemo.Shared.Canary;

/// <summary>
/// The one-line registrations that wire the canary contract into a service: the track is read once
/// (<c>AddCanaryTrack</c>), the context is entered at the edges (<c>UseCanaryContext</c>,
/// <c>AddCanaryContext</c>), propagated to calls and their routes collected (<c>AddCanaryPropagation</c>)
/// and recorded on logs and spans (<c>WithCanaryContext</c>, <c>AddCanaryContext</c>).
/// </summary>
public static class CanaryExtensions
{
    /// <summary>
    /// Reads and validates <c>Canary</c> (<see cref="CanaryOptions"/>) while the application is
    /// built, because logging and telemetry are configured from the track before the host exists;
    /// an invalid track stops the build with an <see cref="OptionsValidationException"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration holding the <c>Canary</c> section.</param>
    /// <param name="service">The service's name, as its hop on a route (<c>api-service</c>).</param>
    public static TrackIdentity AddCanaryTrack(this IServiceCollection services, IConfiguration configuration, string service)
    {
        var options = new CanaryOptions();
        configuration.GetSection(CanaryOptions.SectionName).Bind(options);
        var result = new CanaryOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(CanaryOptions.SectionName, typeof(CanaryOptions), result.Failures);
        }

        var track = new TrackIdentity(service, options.Track);
        services.AddSingleton(track);
        services.AddSingleton(Options.Create(options));
        services.TryAddSingleton<CanaryMetrics>();
        return track;
    }

    /// <summary>HTTP edge: reads <c>X-Canary</c>, echoes it, scopes the request and reports its route. Put it early in the pipeline.</summary>
    public static IApplicationBuilder UseCanaryContext(this IApplicationBuilder app) =>
        app.UseMiddleware<CanaryMiddleware>();

    /// <summary>gRPC server: reads <c>x-canary</c> metadata, scopes the call and answers with this service's hop.</summary>
    public static IGrpcServerBuilder AddCanaryContext(this IGrpcServerBuilder builder)
    {
        builder.Services.TryAddSingleton<CanaryServerInterceptor>();
        builder.Services.Configure<GrpcServiceOptions>(
            options => options.Interceptors.Add<CanaryServerInterceptor>());
        return builder;
    }

    /// <summary>gRPC client: forwards the ambient canary as <c>x-canary</c> metadata and collects the route each call answers with.</summary>
    public static IHttpClientBuilder AddCanaryPropagation(this IHttpClientBuilder builder)
    {
        builder.Services.TryAddSingleton<CanaryClientInterceptor>();
        builder.Services.TryAddSingleton<CanaryRouteClientInterceptor>();
        return builder
            .AddInterceptor<CanaryRouteClientInterceptor>(InterceptorScope.Client)
            .AddInterceptor<CanaryClientInterceptor>(InterceptorScope.Client);
    }

    /// <summary>Serilog: adds the <c>canary</c> property to events of canary requests.</summary>
    public static LoggerConfiguration WithCanaryContext(this LoggerEnrichmentConfiguration enrich) =>
        enrich.With<CanaryLogEnricher>();

    /// <summary>OpenTelemetry: tags every span with <c>canary.track</c>, and those of canary requests with <c>canary.pr</c>.</summary>
    public static TracerProviderBuilder AddCanaryContext(this TracerProviderBuilder tracing) =>
        tracing.AddProcessor<CanarySpanProcessor>();
}
