using System.Security.Cryptography;
using System.Text.Json;

namespace CanaryDemo.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A W3C trace context chosen by the test and sent as <c>traceparent</c>. The api-service continues
/// it and passes it on to the store-service, and both write its trace id (<c>@tr</c>) on their log
/// lines: the production channel through which a test finds what each service logged for exactly
/// one of its requests.
/// </summary>
internal sealed class TestTrace
{
    private const string RequestLogSource = "Serilog.AspNetCore.RequestLoggingMiddleware";

    public string TraceId { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public HttpRequestMessage Start(HttpRequestMessage request) =>
        request.WithHeader("traceparent", $"00-{TraceId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}-01");

    /// <summary>The api-service's one log line for the traced request.</summary>
    public async Task<JsonElement> ApiRequestLineAsync(StackService api) =>
        Assert.Single(await api.WaitForLogsAsync(log => IsTraced(log) && Is(log, "SourceContext", RequestLogSource)));

    /// <summary>The store-service's RPC log lines (one per attempt) for the traced request.</summary>
    public Task<IReadOnlyList<JsonElement>> StoreRpcLinesAsync(StackService store, string method) =>
        store.WaitForLogsAsync(log => IsTraced(log) && Is(log, "grpc_method", $"/store.v1.StoreService/{method}"));

    private bool IsTraced(JsonElement log) => Is(log, "@tr", TraceId);

    private static bool Is(JsonElement log, string property, string value) =>
        log.TryGetProperty(property, out var logged) && logged.ValueKind == JsonValueKind.String && logged.GetString() == value;
}
