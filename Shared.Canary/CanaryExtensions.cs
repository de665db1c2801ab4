using Grpc.AspNetCore.Server;
using Grpc.Net.ClientFactory;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Serilog;
using Serilog.Configuration;

namespace CanaryDemo.Shared.Canary;

/// <summary>The one-line registrations that wire the canary contract into a service.</summary>
public static class CanaryExtensions
{
    /// <summary>HTTP edge: reads <c>X-Canary</c>, echoes it and scopes the request. Put it early in the pipeline.</summary>
    public static IApplicationBuilder UseCanary(this IApplicationBuilder app) =>
        app.UseMiddleware<CanaryMiddleware>();

    /// <summary>gRPC server: reads <c>x-canary</c> metadata and scopes the call.</summary>
    public static IGrpcServerBuilder AddCanary(this IGrpcServerBuilder builder)
    {
        builder.Services.AddSingleton<CanaryServerInterceptor>();
        builder.Services.Configure<GrpcServiceOptions>(
            options => options.Interceptors.Add<CanaryServerInterceptor>());
        return builder;
    }

    /// <summary>gRPC client: forwards the ambient canary as <c>x-canary</c> metadata.</summary>
    public static IHttpClientBuilder AddCanaryPropagation(this IHttpClientBuilder builder)
    {
        builder.Services.AddSingleton<CanaryClientInterceptor>();
        return builder.AddInterceptor<CanaryClientInterceptor>(InterceptorScope.Client);
    }

    /// <summary>Serilog: adds the <c>canary</c> property to events of canary requests.</summary>
    public static LoggerConfiguration WithCanary(this LoggerEnrichmentConfiguration enrich) =>
        enrich.With<CanaryLogEnricher>();
}
