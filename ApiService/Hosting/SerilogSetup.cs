using CanaryDemo.Shared.Canary;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace CanaryDemo.ApiService.Hosting;

internal static class SerilogSetup
{
    /// <summary>
    /// JSON console logs configured in code (configuration-driven Serilog is not trim-safe).
    /// Every event written while serving a canary request carries the <c>canary</c> property.
    /// </summary>
    public static IServiceCollection AddApiLogging(this IServiceCollection services) =>
        services.AddSerilog(
            (_, logger) => logger
                .MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
                .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
                // Failed calls are logged once, by ApiExceptionHandler, without the client's stack trace.
                .MinimumLevel.Override("Grpc.Net.Client", LogEventLevel.Error)
                .Enrich.FromLogContext()
                .Enrich.WithCanary()
                .WriteTo.Console(new RenderedCompactJsonFormatter()),
            // Each host (tests start several) owns its logger; the static Log.Logger stays untouched.
            preserveStaticLogger: true);
}
