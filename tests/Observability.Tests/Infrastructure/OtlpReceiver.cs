using System.Collections.Concurrent;
using System.Net;
using CanaryDemo.Observability.Tests.Otlp;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CanaryDemo.Observability.Tests.Infrastructure;

/// <summary>
/// An OTLP/HTTP (protobuf) receiver on a free loopback port, the collector the services export to:
/// it keeps every span and log record it is sent and counts metric exports.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();
    private readonly ConcurrentQueue<ReceivedLogRecord> _logRecords = new();
    private int _metricExports;

    private OtlpReceiver(WebApplication app) => _app = app;

    /// <summary>The value for <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.</summary>
    public string Endpoint => _app.Urls.Single();

    public int MetricExports => Volatile.Read(ref _metricExports);

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            receiver.Keep(ExportTraceServiceRequest.Parser.ParseFrom(await ReadBodyAsync(request)));
            return Results.Bytes([], "application/x-protobuf");
        });
        app.MapPost("/v1/metrics", async (HttpRequest request) =>
        {
            await ReadBodyAsync(request);
            Interlocked.Increment(ref receiver._metricExports);
            return Results.Bytes([], "application/x-protobuf");
        });
        app.MapPost("/v1/logs", async (HttpRequest request) =>
        {
            receiver.Keep(ExportLogsServiceRequest.Parser.ParseFrom(await ReadBodyAsync(request)));
            return Results.Bytes([], "application/x-protobuf");
        });
        await app.StartAsync();
        return receiver;
    }

    /// <summary>The spans of one trace, waiting until <paramref name="complete"/> holds for them.</summary>
    public Task<IReadOnlyList<ReceivedSpan>> WaitForTraceAsync(string traceId, Func<IReadOnlyList<ReceivedSpan>, bool> complete) =>
        WaitForSpansAsync(span => span.TraceId == traceId, complete);

    /// <summary>The received spans that match, waiting until <paramref name="complete"/> holds for them.</summary>
    public Task<IReadOnlyList<ReceivedSpan>> WaitForSpansAsync(Func<ReceivedSpan, bool> match, Func<IReadOnlyList<ReceivedSpan>, bool> complete) =>
        WaitForAsync(_spans, match, complete, "Spans");

    /// <summary>The received log records that match, waiting until <paramref name="complete"/> holds for them.</summary>
    public Task<IReadOnlyList<ReceivedLogRecord>> WaitForLogRecordsAsync(
        Func<ReceivedLogRecord, bool> match, Func<IReadOnlyList<ReceivedLogRecord>, bool> complete) =>
        WaitForAsync(_logRecords, match, complete, "Log records");

    /// <summary>Every span received so far.</summary>
    public IReadOnlyList<ReceivedSpan> Spans => [.. _spans];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task<IReadOnlyList<T>> WaitForAsync<T>(
        ConcurrentQueue<T> received, Func<T, bool> match, Func<IReadOnlyList<T>, bool> complete, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var found = received.Where(match).ToList();
            if (complete(found))
            {
                return found;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"{what} incomplete; received:\n{string.Join('\n', found)}");
            }

            await Task.Delay(50);
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        return body.ToArray();
    }

    private void Keep(ExportTraceServiceRequest export)
    {
        foreach (var resourceSpans in export.ResourceSpans)
        {
            var resource = ReceivedSpan.AttributesOf(resourceSpans.Resource.Attributes);
            foreach (var span in resourceSpans.ScopeSpans.SelectMany(scope => scope.Spans))
            {
                _spans.Enqueue(ReceivedSpan.From(resource, span));
            }
        }
    }

    private void Keep(ExportLogsServiceRequest export)
    {
        foreach (var resourceLogs in export.ResourceLogs)
        {
            var resource = ReceivedSpan.AttributesOf(resourceLogs.Resource.Attributes);
            foreach (var record in resourceLogs.ScopeLogs.SelectMany(scope => scope.LogRecords))
            {
                _logRecords.Enqueue(ReceivedLogRecord.From(resource, record));
            }
        }
    }
}
