using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace CanaryDemo.Shared.Canary;

/// <summary>
/// Reads <c>X-Canary</c>, makes a valid value the ambient canary for the request, echoes it and
/// labels the request metrics. Invalid values are ignored (logged at debug), never rejected.
/// Records the request's route and, when <see cref="CanaryOptions.RouteHeader"/> is on, answers
/// with it as <c>X-Canary-Route</c>. Every response, with or without a canary, says that it varies
/// by <c>X-Canary</c>: the edge routes on it, so a shared cache must never serve one track's
/// response to a request for another.
/// </summary>
public sealed partial class CanaryMiddleware(
    RequestDelegate next, ILogger<CanaryMiddleware> logger, TrackIdentity track, CanaryMetrics metrics, IOptions<CanaryOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var header = context.Request.Headers[CanaryHeaders.HttpHeader];
        CanaryValue.TryParse(header, out var pr);
        if (pr is null && header.Count > 0)
        {
            LogIgnoredValue(logger, header.ToString());
        }

        metrics.RecordRequest(context.Features, pr);
        var route = CanaryRoute.Begin(track);
        // OnStarting survives error handlers that clear the headers set so far; by then every
        // call the request made has answered.
        context.Response.OnStarting(() =>
        {
            context.Response.Headers.Append(HeaderNames.Vary, CanaryHeaders.HttpHeader);
            if (pr is not null)
            {
                context.Response.Headers[CanaryHeaders.EchoHeader] = pr;
            }

            if (options.Value.RouteHeader)
            {
                context.Response.Headers[CanaryRoute.HttpHeader] = route.ToString();
            }

            return Task.CompletedTask;
        });
        if (pr is null)
        {
            await next(context);
            return;
        }

        using (CanaryContext.Enter(pr))
        {
            await next(context);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignoring invalid X-Canary value {CanaryValue}")]
    private static partial void LogIgnoredValue(ILogger logger, string canaryValue);
}
