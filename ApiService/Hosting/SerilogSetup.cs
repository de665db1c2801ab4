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
    /// The logger belongs to this host; the static Log.Logger stays untouched (tests run several hosts).
    /// </summary>
    public static IServiceCollection AddApiLogging(this IServiceCollection services)
    {
        var logger = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
            // Failed calls are logged once, by ApiExceptionHandler, without the client's stack trace.
            .MinimumLevel.Override("Grpc.Net.Client", LogEventLevel.Error)
            .Enrich.FromLogContext()
            .Enrich.WithCanary()
            .WriteTo.Console(new RenderedCompactJsonFormatter())
            .CreateLogger();
        services.AddSingleton<Serilog.ILogger>(logger);
        return services.AddSerilog(logger, dispose: true);
    }

    /// <summary>One log event per request; without an explicit logger the middleware would use the static Log.Logger.</summary>
    public static WebApplication UseApiRequestLogging(this WebApplication app)
    {
        app.UseSerilogRequestLogging(options => options.Logger = app.Services.GetRequiredService<Serilog.ILogger>());
        return app;
    }
}
