using CanaryDemo.Observability.Tests.Otlp;

namespace CanaryDemo.Observability.Tests.Infrastructure;

/// <summary>A log record as a collector received it, with the resource attributes of the service that sent it.</summary>
public sealed record ReceivedLogRecord(
    IReadOnlyDictionary<string, string> Resource,
    string TraceId,
    string Severity,
    string Body,
    IReadOnlyDictionary<string, string> Attributes)
{
    public string Service => Resource.GetValueOrDefault("service.name", "");

    public string? Attribute(string key) => Attributes.GetValueOrDefault(key);

    public override string ToString() =>
        $"{Service} {Severity} '{Body}' trace={TraceId} [{string.Join(", ", Attributes.Select(a => $"{a.Key}={a.Value}"))}]";

    internal static ReceivedLogRecord From(IReadOnlyDictionary<string, string> resource, LogRecord record) => new(
        resource,
        Convert.ToHexStringLower(record.TraceId.Span),
        record.SeverityText,
        record.Body?.StringValue ?? "",
        ReceivedSpan.AttributesOf(record.Attributes));
}
