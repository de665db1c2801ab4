using CanaryDemo.CanaryCheck.Running;

namespace CanaryDemo.CanaryCheck.Analysis;

/// <summary>One step compared: the fields that are noise, and the canary's differences beyond them.</summary>
internal sealed record StepComparison(string Step, IReadOnlyList<ResponseField> Noise, IReadOnlyList<FieldDifference> Differences);

/// <summary>
/// Diffy's noise model: stable answers the same step twice (two runs, two tenants), and a field
/// that differs between those two answers (ids, timestamps, page tokens, trace ids) is noise for
/// that step. Where the two stable answers hold values of the same kind (two different ids), the
/// canary may hold any value of that kind there, but not none or another kind: a canary that drops
/// the id is reported. Where the stable answers differ in shape (a value in one, none or another
/// kind in the other), everything at and inside that field is noise. A difference between stable
/// and the canary outside the noise is real.
/// </summary>
internal static class NoiseModel
{
    public static StepComparison Compare(string step, StepResponse stable, StepResponse secondStable, StepResponse canary)
    {
        var noise = ResponseComparison.Compare(stable, secondStable);
        var differences = ResponseComparison.Compare(stable, canary)
            .Where(difference => !noise.Any(field => difference.Field.IsWithin(field.Field) && (!field.SameShape || difference.SameShape)))
            .ToList();
        return new StepComparison(step, [.. noise.Select(field => field.Field)], differences);
    }
}
