using Serilog;

namespace CanaryDemo.ApiService.Hosting;

internal static class RequestLogging
{
    /// <summary>One log event per request, written by the host's logger (not the static Log.Logger).</summary>
    public static WebApplication UseApiRequestLogging(this WebApplication app)
    {
        app.UseSerilogRequestLogging(options => options.Logger = app.Services.GetRequiredService<Serilog.ILogger>());
        return app;
    }
}
