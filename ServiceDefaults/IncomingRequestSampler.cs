using System.Diagnostics;
using OpenTelemetry.Trace;

namespace CanaryDemo.ServiceDefaults;

/// <summary>
/// Traces start where a request comes in: a span without a parent is sampled only when it is a
/// server span. Background work (the store's DynamoDB probe, the api's health round against the
/// store) starts no trace; the spans of a request follow its decision (<see cref="ParentBasedSampler"/>).
/// </summary>
internal sealed class IncomingRequestSampler : Sampler
{
    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
        new(samplingParameters.Kind == ActivityKind.Server ? SamplingDecision.RecordAndSample : SamplingDecision.Drop);
}
