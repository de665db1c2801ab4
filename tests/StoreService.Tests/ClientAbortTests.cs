using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CanaryDemo.Store.V1;
using CanaryDemo.StoreService.Tests.Infrastructure;
using CanaryDemo.Testing.Http;
using Google.Protobuf;
using Grpc.Core;

namespace CanaryDemo.StoreService.Tests;

/// <summary>
/// A client that gives up on a call, by resetting its stream or closing its connection, is no
/// server error: on the real store process the call's RPC line says CANCELLED below Warning,
/// nothing of it is logged at Warning or above, and each one is counted in
/// <c>client_aborted_requests_total</c> on the management port.
/// </summary>
[Collection(StoreCollection.Name)]
public sealed partial class ClientAbortTests(StoreFixture store)
{
    private const int Calls = 20;
    private const string GetItemPath = "/store.v1.StoreService/GetItem";

    [Fact]
    public async Task Streams_reset_while_the_request_is_read_are_cancelled_and_counted_not_errors()
    {
        var before = await AbortedRequestsAsync();
        using var client = new HttpClient(new SocketsHttpHandler()) { BaseAddress = new Uri(store.Service.Address) };
        using var cancel = new CancellationTokenSource();

        var calls = Enumerable.Range(0, Calls).Select(_ => HalfSentCall()).ToList();
        var sending = calls.Select(call => client.SendAsync(call.Request, cancel.Token)).ToList();
        await WaitForCallsInTheStoreAsync(Calls);
        // HttpClient cancels an HTTP/2 request with RST_STREAM (CANCEL) on its connection.
        await cancel.CancelAsync();
        foreach (var call in sending)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        }

        await AssertCancelledNotErrorsAsync([.. calls.Select(call => call.Trace)], before + Calls);
    }

    [Fact]
    public async Task Connections_closed_while_the_request_is_read_are_cancelled_and_counted_not_errors()
    {
        var before = await AbortedRequestsAsync();
        var message = new GetItemRequest { TenantId = 1, Id = ItemRequests.UnknownId() }.ToByteArray();

        // Each call on its own connection: its headers and half its message, then the client closes (FIN).
        var traces = Enumerable.Range(0, Calls).Select(_ => ActivityTraceId.CreateRandom().ToHexString()).ToList();
        var sockets = new List<System.Net.Sockets.Socket>();
        try
        {
            foreach (var trace in traces)
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                sockets.Add(socket);
                await socket.ConnectAsync(IPAddress.Loopback, store.Service.Port);
                await socket.SendAsync(RawHttp2.HalfSentCall(GetItemPath, store.Service.Port, Traceparent(trace), message));
            }

            await WaitForCallsInTheStoreAsync(Calls);
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Shutdown(System.Net.Sockets.SocketShutdown.Both);
                socket.Dispose();
            }
        }

        await AssertCancelledNotErrorsAsync(traces, before + Calls);
    }

    [Fact]
    public async Task Calls_cancelled_at_any_moment_are_never_errors_and_each_cancelled_one_is_counted()
    {
        var tenant = store.NewTenant();
        var item = (await store.Client.CreateItemAsync(ItemRequests.NewItem(tenant))).Item;
        var before = await AbortedRequestsAsync();

        // A gRPC client that cancels its calls after 1 to 4 ms: some are answered first, some never
        // reach the store, the others end while the store reads the request, waits for DynamoDB or
        // writes the answer.
        var traces = new List<string>();
        var answered = 0;
        for (var i = 0; i < Calls * 2; i++)
        {
            var trace = ActivityTraceId.CreateRandom().ToHexString();
            traces.Add(trace);
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(1 + (i % 4)));
            try
            {
                await store.Client.GetItemAsync(
                    new GetItemRequest { TenantId = tenant, Id = item.Id }, Traced(trace), cancellationToken: cancel.Token);
                answered++;
            }
            catch (RpcException exception) when (exception.StatusCode == StatusCode.Cancelled)
            {
                // the client cancelled it
            }
        }

        // Every call the store saw has ended (and written its line) once none is in progress.
        await WaitForCallsInTheStoreAsync(0);
        var aborted = await AbortedRequestsAsync() - before;
        var cancelled = await store.Service.WaitForLogsAsync(log => IsRpcLine(log, traces) && Status(log) == nameof(StatusCode.Cancelled), (int)aborted);
        // The lines reach the test through the orchestrator's log stream, possibly after the counter.
        await store.Service.WaitForLogsAsync(log => IsRpcLine(log, traces) && Status(log) == nameof(StatusCode.OK), answered);
        var lines = store.Service.Logs.Where(log => IsRpcLine(log, traces)).ToList();
        Assert.Equal(aborted, cancelled.Count);
        // A call the store answered may still be cancelled by the client that had not read the answer yet.
        Assert.InRange(lines.Count(line => Status(line) == nameof(StatusCode.OK)), answered, traces.Count);
        Assert.All(lines, line => Assert.Contains(Status(line), new[] { nameof(StatusCode.OK), nameof(StatusCode.Cancelled) }));
        AssertNothingAtWarningOrAbove(traces);
    }

    private async Task AssertCancelledNotErrorsAsync(List<string> traces, long expectedCount)
    {
        var lines = await RpcLinesAsync(traces);
        Assert.All(lines, line =>
        {
            Assert.Equal(nameof(StatusCode.Cancelled), line.GetProperty("grpc_status").GetString());
            Assert.False(line.TryGetProperty("@l", out _), line.ToString()); // Information
        });
        AssertNothingAtWarningOrAbove(traces);
        Assert.Equal(expectedCount, await AbortedRequestsAsync(expectedCount));
    }

    /// <summary>One RPC line per call that reached the store, however it ended.</summary>
    private async Task<List<JsonElement>> RpcLinesAsync(List<string> traces)
    {
        var lines = await store.Service.WaitForLogsAsync(log => IsRpcLine(log, traces), traces.Count);
        Assert.Equal(traces.Count, lines.Select(TraceOf).Distinct().Count());
        return [.. lines];
    }

    private static bool IsRpcLine(JsonElement log, List<string> traces) =>
        log.TryGetProperty("grpc_method", out var method) && method.GetString() == GetItemPath && traces.Contains(TraceOf(log));

    /// <summary>
    /// Waits until the store has exactly <paramref name="count"/> calls in progress (ASP.NET Core's
    /// http.server.active_requests of POST, the method of every gRPC call; scrapes are GET).
    /// </summary>
    private async Task WaitForCallsInTheStoreAsync(int count)
    {
        using var metrics = new HttpClient { BaseAddress = new Uri(store.Service.ManagementAddress) };
        var active = ActiveCalls(await FreshScrape.ReadUntilAsync(metrics, scrape => ActiveCalls(scrape) == count, TimeSpan.FromSeconds(30)));
        if (active != count)
        {
            Assert.Fail($"the store has {active} calls in progress, not {count}");
        }
    }

    private static long ActiveCalls(string scrape) =>
        ActivePostRequestsLine().Matches(scrape).Sum(match => long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^http_server_active_requests\{[^}]*http_request_method=""POST""[^}]*\} (\d+)", RegexOptions.Multiline)]
    private static partial Regex ActivePostRequestsLine();

    private void AssertNothingAtWarningOrAbove(List<string> traces) =>
        Assert.DoesNotContain(store.Service.Logs, log =>
            log.TryGetProperty("@l", out var level) && level.GetString() is "Warning" or "Error" or "Fatal"
            && (traces.Contains(TraceOf(log)) || log.GetProperty("@m").GetString()!.Contains("reset", StringComparison.OrdinalIgnoreCase)));

    private static string? Status(JsonElement log) => log.GetProperty("grpc_status").GetString();

    private static string TraceOf(JsonElement log) => log.TryGetProperty("@tr", out var trace) ? trace.GetString()! : "";

    /// <summary>The store's <c>client_aborted_requests_total</c> now, once it reads at least <paramref name="atLeast"/>.</summary>
    private async Task<long> AbortedRequestsAsync(long atLeast = 0)
    {
        using var metrics = new HttpClient { BaseAddress = new Uri(store.Service.ManagementAddress) };
        return await ClientAbortedRequests.ReadAsync(metrics, atLeast);
    }

    /// <summary>A GetItem whose body promises more bytes than it sends, so the store is still reading it when the client gives up.</summary>
    private static (HttpRequestMessage Request, string Trace) HalfSentCall()
    {
        var trace = ActivityTraceId.CreateRandom().ToHexString();
        var request = new HttpRequestMessage(HttpMethod.Post, GetItemPath)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new HalfSentBody(new GetItemRequest { TenantId = 1, Id = ItemRequests.UnknownId() }.ToByteArray()),
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        request.Headers.TryAddWithoutValidation("traceparent", Traceparent(trace));
        return (request, trace);
    }

    private static Metadata Traced(string trace) => new() { { "traceparent", Traceparent(trace) } };

    private static string Traceparent(string trace) => $"00-{trace}-{ActivitySpanId.CreateRandom().ToHexString()}-01";

    /// <summary>The gRPC frame's header and the first half of the message; the rest never comes.</summary>
    private sealed class HalfSentBody : HttpContent
    {
        private readonly byte[] _message;

        public HalfSentBody(byte[] message)
        {
            _message = message;
            Headers.ContentType = new("application/grpc");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            var frame = new byte[5];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), _message.Length);
            await stream.WriteAsync(frame, cancellationToken);
            await stream.WriteAsync(_message.AsMemory(0, _message.Length / 2), cancellationToken);
            await stream.FlushAsync(cancellationToken);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    /// <summary>HTTP/2 (RFC 9113) written by hand, for a client that closes its connection mid-call.</summary>
    private static class RawHttp2
    {
        private const byte Data = 0x0, Headers = 0x1, Settings = 0x4, EndHeaders = 0x4;

        /// <summary>Preface, SETTINGS, the call's HEADERS on stream 1 and a DATA frame with half the message, without END_STREAM.</summary>
        public static byte[] HalfSentCall(string path, int port, string traceparent, byte[] message)
        {
            using var bytes = new MemoryStream();
            bytes.Write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8);
            WriteFrame(bytes, Settings, 0, 0, []);
            var headers = new MemoryStream();
            foreach (var (name, value) in new[]
            {
                (":method", "POST"), (":scheme", "http"), (":path", path), (":authority", $"127.0.0.1:{port}"),
                ("content-type", "application/grpc"), ("te", "trailers"), ("traceparent", traceparent),
            })
            {
                // HPACK literal header field without indexing, new name, no Huffman coding (RFC 7541 §6.2.2).
                headers.WriteByte(0);
                WriteString(headers, name);
                WriteString(headers, value);
            }

            WriteFrame(bytes, Headers, EndHeaders, 1, headers.ToArray());
            var frame = new byte[5 + (message.Length / 2)];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), message.Length);
            message.AsSpan(0, message.Length / 2).CopyTo(frame.AsSpan(5));
            WriteFrame(bytes, Data, 0, 1, frame);
            return bytes.ToArray();
        }

        private static void WriteString(MemoryStream output, string text)
        {
            // A length below 127 is its own one-byte prefix; every string here is that short.
            var bytes = System.Text.Encoding.ASCII.GetBytes(text);
            output.WriteByte(bytes.Length < 127 ? (byte)bytes.Length : throw new ArgumentException($"{text} is too long", nameof(text)));
            output.Write(bytes);
        }

        private static void WriteFrame(MemoryStream output, byte type, byte flags, int stream, byte[] payload)
        {
            Span<byte> header = stackalloc byte[9];
            header[0] = (byte)(payload.Length >> 16);
            header[1] = (byte)(payload.Length >> 8);
            header[2] = (byte)payload.Length;
            header[3] = type;
            header[4] = flags;
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header[5..], stream);
            output.Write(header);
            output.Write(payload);
        }
    }
}
