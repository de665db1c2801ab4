using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace CanaryDemo.Shared.Canary;

/// <summary>
/// Reads <c>X-Canary</c>, makes a valid value the ambient canary for the request, echoes it and
/// labels the request metrics. Invalid values are ignored (logged at debug), never rejected.
/// </summary>
public sealed partial class CanaryMiddleware(RequestDelegate next, ILogger<CanaryMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var header = context.Request.Headers[CanaryHeaders.HttpHeader];
        CanaryValue.TryParse(header, out var pr);
        if (pr is null && header.Count > 0)
        {
            LogIgnoredValue(logger, header.ToString());
        }

        CanaryMetrics.TagRequest(context.Features, pr);
        if (pr is null)
        {
            await next(context);
            return;
        }

        // OnStarting survives error handlers that clear the headers set so far.
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[CanaryHeaders.EchoHeader] = pr;
            return Task.CompletedTask;
        });
        using (CanaryContext.Enter(pr))
        {
            await next(context);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignoring invalid X-Canary value {CanaryValue}")]
    private static partial void LogIgnoredValue(ILogger logger, string canaryValue);
}
