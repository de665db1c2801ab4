using Serilog;
using Serilog.Events;

namespace CanaryDemo.ApiService.Hosting;

internal static class RequestLogging
{
    /// <summary>
    /// One log event per request, written by the host's logger (not the static Log.Logger). A 500
    /// is an Error; the 503 and 504 of a store outage are Information like any other answer (the
    /// exception handler warns about them at a readable rate); the kubelet's probes (/healthz) are
    /// Debug, their verdict changes are logged once by the health round. /health is a caller's
    /// request like any other (the PR deployment links to it), logged at Information.
    /// </summary>
    public static WebApplication UseApiRequestLogging(this WebApplication app)
    {
        app.UseSerilogRequestLogging(options =>
        {
            options.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
            options.GetLevel = (context, _, exception) =>
                exception is not null || context.Response.StatusCode == StatusCodes.Status500InternalServerError ? LogEventLevel.Error
                : context.Request.Path.StartsWithSegments("/healthz") ? LogEventLevel.Debug
                : LogEventLevel.Information;
        });
        return app;
    }
}
