using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;

namespace CanaryDemo.ServiceDefaults;

/// <summary>
/// Requests the client gave up on: it cancelled the call (an HTTP/2 stream reset) or closed the
/// connection before the answer. That is no server error: such requests are logged below Warning
/// and counted in <c>client_aborted_requests_total</c>, and nothing else is.
/// </summary>
public sealed class ClientAborts
{
    public const string MeterName = "CanaryDemo.ServiceDefaults";

    /// <summary>Exported to Prometheus as <c>client_aborted_requests_total</c>.</summary>
    public const string AbortedRequestsInstrument = "client.aborted_requests";

    private readonly Counter<long> _abortedRequests;

    public ClientAborts(IMeterFactory meters) =>
        _abortedRequests = meters.Create(MeterName).CreateCounter<long>(
            AbortedRequestsInstrument, "{request}", "Requests whose client reset the stream or closed the connection before the answer.");

    /// <summary>
    /// Whether a request ended with <paramref name="exception"/> because its client went away: the
    /// request was aborted, or the exception is how Kestrel tells code that reads the request or
    /// writes the answer (<see cref="IsTransportAbort"/>). Kestrel cancels <see cref="HttpContext.RequestAborted"/>
    /// from the thread pool, so that code may see the exception before the token is cancelled.
    /// </summary>
    public static bool IsAbort(HttpContext context, Exception? exception) =>
        context.RequestAborted.IsCancellationRequested || IsTransportAbort(exception);

    /// <summary>
    /// An <see cref="IOException"/> ("The client reset the request stream", a reset connection) or an
    /// <see cref="OperationCanceledException"/> (<c>ConnectionAbortedException</c>, a cancelled read),
    /// also as the inner exception of the <see cref="BadHttpRequestException"/> that Minimal API body
    /// binding throws when reading the body failed. A BadHttpRequestException of its own (also an
    /// IOException) is a malformed request instead.
    /// </summary>
    public static bool IsTransportAbort(Exception? exception) => exception switch
    {
        BadHttpRequestException badRequest => badRequest.InnerException is not BadHttpRequestException && IsTransportAbort(badRequest.InnerException),
        OperationCanceledException or IOException => true,
        _ => false,
    };

    public void Count() => _abortedRequests.Add(1);
}
