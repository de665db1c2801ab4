using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CanaryDemo.CanaryCheck.Analysis;

namespace CanaryDemo.CanaryCheck.Reports;

/// <summary>report.json: the same findings for programs (the fields are listed in docs/README.md, "Reading the report").</summary>
internal static class JsonReport
{
    public static string Write(CheckResult result)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            var settings = result.Settings;
            json.WriteStartObject();
            json.WriteNumber("pr", long.Parse(settings.Pr, System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("url", settings.Url.ToString());
            json.WriteString("scenario", settings.Scenario);
            json.WriteString("verdict", result.Verdict.Name());
            json.WriteNumber("exit_code", (int)result.Verdict);
            if (result.CouldNotRunReason is { } reason)
            {
                json.WriteString("reason", reason);
            }
            else
            {
                json.WriteNull("reason");
            }

            Strings(json, "served_by_pr", result.Route?.ServedByPr ?? []);
            Strings(json, "route_problems", result.Route?.Problems ?? []);
            json.WriteStartObject("tenants");
            foreach (var (name, tenant) in result.Run.Tenants)
            {
                json.WriteNumber(name, tenant);
            }

            json.WriteEndObject();
            json.WriteNumber("steps", result.Run.Steps);
            json.WriteNumber("requests", result.Run.Requests);
            json.WriteNumber("duration_ms", Math.Round(result.Run.Duration.TotalMilliseconds, 1));
            json.WriteStartObject("latency_thresholds");
            json.WriteNumber("pairs", settings.Latency.Pairs);
            json.WriteNumber("p50_ratio", settings.Latency.P50Ratio);
            json.WriteNumber("min_slowdown_ms", settings.Latency.MinSlowdownMs);
            json.WriteEndObject();

            json.WriteStartArray("differences");
            foreach (var (step, difference) in result.Differences)
            {
                json.WriteStartObject();
                json.WriteString("step", step);
                json.WriteString("field", difference.Field.ToString());
                json.WriteString("stable", difference.Left);
                json.WriteString("canary", difference.Right);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("regressions");
            foreach (var regression in result.Regressions)
            {
                json.WriteStartObject();
                json.WriteString("kind", regression.Kind);
                json.WriteString("step", regression.Step);
                json.WriteString("detail", regression.Detail);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("latency");
            foreach (var summary in result.Latency)
            {
                json.WriteStartObject();
                json.WriteString("step", summary.Step);
                json.WriteNumber("pairs", summary.Pairs);
                json.WriteBoolean("remeasured", summary.Remeasured);
                json.WriteNumber("stable_p50_ms", Math.Round(summary.StableP50, 2));
                json.WriteNumber("stable_p95_ms", Math.Round(summary.StableP95, 2));
                json.WriteNumber("canary_p50_ms", Math.Round(summary.CanaryP50, 2));
                json.WriteNumber("canary_p95_ms", Math.Round(summary.CanaryP95, 2));
                json.WriteNumber("p50_ratio", Math.Round(summary.P50Ratio, 3));
                json.WriteNumber("p95_ratio", Math.Round(summary.P95Ratio, 3));
                json.WriteBoolean("regression", summary.IsRegression(settings.Latency));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("noise");
            foreach (var step in result.Steps.Where(step => step.Noise.Count > 0))
            {
                json.WriteStartObject();
                json.WriteString("step", step.Step);
                Strings(json, "fields", step.Noise.Select(field => field.ToString()));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void Strings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
