using System.Net;
using CanaryDemo.Observability.Tests.Infrastructure;
using SpanKind = CanaryDemo.Observability.Tests.Otlp.Span.Types.SpanKind;

namespace CanaryDemo.Observability.Tests;

/// <summary>Traces as a collector receives them over OTLP from both services.</summary>
[Collection(ObservedStackCollection.Name)]
public sealed class TraceTests(ObservedStack stack)
{
    private const string CanaryAttribute = "canary.pr";

    [Fact]
    public async Task A_canary_request_is_one_trace_from_api_to_store_with_canary_pr_on_every_span()
    {
        using var request = ApiRequests.Create(HttpMethod.Post, "/api/v1/items", ObservedStack.NewTenant(), ApiRequests.NewItemBody)
            .WithCanary("42");
        var traceId = request.StartTrace(out var callerSpanId);

        using var response = await stack.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var spans = await stack.Collector.WaitForTraceAsync(traceId, HasServerSpansOfBothServices);
        var api = Assert.Single(spans, span => span is { Service: "api-service", Kind: SpanKind.Server });
        var store = Assert.Single(spans, span => span is { Service: "store-service", Kind: SpanKind.Server });
        Assert.Equal(callerSpanId, api.ParentSpanId);
        Assert.Equal("/store.v1.StoreService/CreateItem", store.Attribute("url.path"));
        // The store span hangs under the api's server span, through the api's client span of the call.
        var storeCall = Assert.Single(spans, span => span.SpanId == store.ParentSpanId);
        Assert.Equal(("api-service", SpanKind.Client, api.SpanId), (storeCall.Service, storeCall.Kind, storeCall.ParentSpanId));
        Assert.Contains(spans, span => span is { Service: "store-service", Kind: SpanKind.Client } && span.ParentSpanId == store.SpanId);
        Assert.All(spans, span => Assert.Equal("42", span.Attribute(CanaryAttribute)));
        // PR 42 has no canary here: every span says which track really served it.
        Assert.All(spans, span => Assert.Equal("stable", span.Attribute("canary.track")));
        Assert.All(spans, span => Assert.False(string.IsNullOrEmpty(span.ServiceVersion), span.ToString()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("abc")]
    [InlineData("042")]
    public async Task Without_a_valid_canary_no_span_has_canary_pr(string? canary)
    {
        var tenant = ObservedStack.NewTenant();
        using var request = ApiRequests.Create(HttpMethod.Get, "/api/v1/items", tenant).WithCanary(canary);
        var traceId = request.StartTrace(out _);

        using var response = await stack.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var spans = await stack.Collector.WaitForTraceAsync(traceId, HasServerSpansOfBothServices);
        Assert.All(spans, span => Assert.Null(span.Attribute(CanaryAttribute)));
    }

    [Fact]
    public async Task Probes_and_calls_outside_a_request_are_not_traced()
    {
        using var probe = new HttpRequestMessage(HttpMethod.Get, "/healthz/ready");
        var probeTraceId = probe.StartTrace(out _);
        using var request = ApiRequests.Create(HttpMethod.Get, "/api/v1/items", ObservedStack.NewTenant());
        var traceId = request.StartTrace(out _);

        using var probed = await stack.Client.SendAsync(probe);
        using var response = await stack.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, probed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Exported after anything the probe (which called the store's health service) would have produced.
        await stack.Collector.WaitForTraceAsync(traceId, HasServerSpansOfBothServices);
        Assert.DoesNotContain(stack.Collector.Spans, span => span.TraceId == probeTraceId);
        // The store's start-up and background DynamoDB calls (table set-up, health probe) start no trace.
        Assert.DoesNotContain(stack.Collector.Spans, span => span is { ParentSpanId: null, Kind: SpanKind.Client });
    }

    [Fact]
    public async Task The_log_lines_of_both_services_carry_the_canary_and_the_trace_id()
    {
        var traceId = await ListItemsAsCanary42Async();

        var apiLine = Assert.Single(await stack.Api.WaitForLogsAsync(log => log.TryGetProperty("RequestPath", out _) && Property(log, "@tr") == traceId));
        var storeLine = Assert.Single(await stack.Store.WaitForLogsAsync(log => log.TryGetProperty("grpc_method", out _) && Property(log, "@tr") == traceId));
        Assert.Equal("42", Property(apiLine, "canary"));
        Assert.Equal("42", Property(storeLine, "canary"));
        Assert.Equal(("stable", "stable"), (Property(apiLine, "track"), Property(storeLine, "track")));
        Assert.Equal("/store.v1.StoreService/ListItems", Property(storeLine, "grpc_method"));
    }

    [Fact]
    public async Task The_log_events_go_out_over_otlp_once_each_with_their_properties_and_the_trace_id()
    {
        var traceId = await ListItemsAsCanary42Async();

        var records = await stack.Collector.WaitForLogRecordsAsync(
            record => record.TraceId == traceId,
            found => found.Any(IsApiRequestLine) && found.Any(IsStoreRpcLine));
        var api = Assert.Single(records, IsApiRequestLine);
        var store = Assert.Single(records, IsStoreRpcLine);
        Assert.All([api, store], record =>
        {
            Assert.Equal(("42", "stable", "Information"), (record.Attribute("canary"), record.Attribute("track"), record.Severity));
            Assert.Equal(record.Service, record.Attribute("service"));
            Assert.False(string.IsNullOrEmpty(record.Resource.GetValueOrDefault("service.version")), record.ToString());
            // The body is the rendered message, as on stdout, not its template.
            Assert.DoesNotContain("{", record.Body);
        });
        Assert.Contains("/api/v1/items", api.Body);
        Assert.Equal("/store.v1.StoreService/ListItems", store.Attribute("grpc_method"));
    }

    /// <summary>Lists a fresh tenant's items with <c>X-Canary: 42</c> in a trace of its own; returns the trace id.</summary>
    private async Task<string> ListItemsAsCanary42Async()
    {
        using var request = ApiRequests.Create(HttpMethod.Get, "/api/v1/items", ObservedStack.NewTenant()).WithCanary("42");
        var traceId = request.StartTrace(out _);
        using var response = await stack.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return traceId;
    }

    private static bool IsApiRequestLine(ReceivedLogRecord record) => record.Service == "api-service" && record.Attribute("RequestPath") is not null;

    private static bool IsStoreRpcLine(ReceivedLogRecord record) => record.Service == "store-service" && record.Attribute("grpc_method") is not null;

    private static bool HasServerSpansOfBothServices(IReadOnlyList<ReceivedSpan> spans) =>
        spans.Any(span => span is { Service: "api-service", Kind: SpanKind.Server }) &&
        spans.Any(span => span is { Service: "store-service", Kind: SpanKind.Server });

    private static string? Property(System.Text.Json.JsonElement log, string name) =>
        log.TryGetProperty(name, out var value) ? value.GetString() : null;
}
