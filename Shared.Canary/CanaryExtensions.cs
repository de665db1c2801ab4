using Grpc.AspNetCore.Server;
using Grpc.Net.ClientFactory;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Trace;
using Serilog;
using Serilog.Configuration;

namespace CanaryDemo.Shared.Canary;

/// <summary>
/// The one-line registrations that wire the canary contract into a service: the context is
/// entered at the edges (<c>UseCanaryContext</c>, <c>AddCanaryContext</c>), propagated to calls
/// (<c>AddCanaryPropagation</c>) and recorded on logs and spans (<c>WithCanaryContext</c>, <c>AddCanaryContext</c>).
/// </summary>
public static class CanaryExtensions
{
    /// <summary>HTTP edge: reads <c>X-Canary</c>, echoes it and scopes the request. Put it early in the pipeline.</summary>
    public static IApplicationBuilder UseCanaryContext(this IApplicationBuilder app) =>
        app.UseMiddleware<CanaryMiddleware>();

    /// <summary>gRPC server: reads <c>x-canary</c> metadata and scopes the call.</summary>
    public static IGrpcServerBuilder AddCanaryContext(this IGrpcServerBuilder builder)
    {
        builder.Services.TryAddSingleton<CanaryServerInterceptor>();
        builder.Services.Configure<GrpcServiceOptions>(
            options => options.Interceptors.Add<CanaryServerInterceptor>());
        return builder;
    }

    /// <summary>gRPC client: forwards the ambient canary as <c>x-canary</c> metadata.</summary>
    public static IHttpClientBuilder AddCanaryPropagation(this IHttpClientBuilder builder)
    {
        builder.Services.TryAddSingleton<CanaryClientInterceptor>();
        return builder.AddInterceptor<CanaryClientInterceptor>(InterceptorScope.Client);
    }

    /// <summary>Serilog: adds the <c>canary</c> property to events of canary requests.</summary>
    public static LoggerConfiguration WithCanaryContext(this LoggerEnrichmentConfiguration enrich) =>
        enrich.With<CanaryLogEnricher>();

    /// <summary>OpenTelemetry: tags every span started while serving a canary request with <c>canary.pr</c>.</summary>
    public static TracerProviderBuilder AddCanaryContext(this TracerProviderBuilder tracing) =>
        tracing.AddProcessor<CanarySpanProcessor>();
}
