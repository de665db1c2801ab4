using CanaryDemo.Observability.Tests.Otlp;
using Google.Protobuf.Collections;

namespace CanaryDemo.Observability.Tests.Infrastructure;

/// <summary>A span as a collector received it, with the resource attributes of the service that sent it.</summary>
public sealed record ReceivedSpan(
    string Service,
    string ServiceVersion,
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    Span.Types.SpanKind Kind,
    IReadOnlyDictionary<string, string> Attributes)
{
    public string? Attribute(string key) => Attributes.GetValueOrDefault(key);

    public override string ToString() =>
        $"{Service} {Kind} '{Name}' {SpanId} parent={ParentSpanId} [{string.Join(", ", Attributes.Select(a => $"{a.Key}={a.Value}"))}]";

    internal static ReceivedSpan From(IReadOnlyDictionary<string, string> resource, Span span) => new(
        resource.GetValueOrDefault("service.name", ""),
        resource.GetValueOrDefault("service.version", ""),
        Convert.ToHexStringLower(span.TraceId.Span),
        Convert.ToHexStringLower(span.SpanId.Span),
        span.ParentSpanId.IsEmpty ? null : Convert.ToHexStringLower(span.ParentSpanId.Span),
        span.Name,
        span.Kind,
        AttributesOf(span.Attributes));

    internal static Dictionary<string, string> AttributesOf(RepeatedField<KeyValue> attributes) =>
        attributes.ToDictionary(attribute => attribute.Key, attribute => attribute.Value?.ValueCase switch
        {
            AnyValue.ValueOneofCase.StringValue => attribute.Value.StringValue,
            AnyValue.ValueOneofCase.IntValue => attribute.Value.IntValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
            AnyValue.ValueOneofCase.BoolValue => attribute.Value.BoolValue ? "true" : "false",
            AnyValue.ValueOneofCase.DoubleValue => attribute.Value.DoubleValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => "",
        });
}
