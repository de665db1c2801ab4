using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using CanaryDemo.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CanaryDemo.ServiceDefaults.Tests;

/// <summary>
/// A metric stream keeps at most <see cref="ServiceTelemetry.MetricCardinalityLimit"/> label sets,
/// because OpenTelemetry allocates that many points for every stream up front; what comes beyond
/// is counted in one overflow series, so totals stay right.
/// </summary>
public sealed partial class MetricLimitsTests
{
    private const string MeterName = "CanaryDemo.Tests.Limits";

    [Fact]
    public async Task Label_sets_beyond_the_limit_are_counted_in_the_overflow_series()
    {
        var managementPort = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder(["--urls=http://127.0.0.1:0", $"--Management:Port={managementPort}"]);
        builder.AddServiceDefaults(TestHost.Service, MeterName);
        builder.ConfigureListeners(HttpProtocols.Http1);
        await using var app = builder.Build();
        app.UseServiceDefaults();
        await app.StartAsync();
        var counter = app.Services.GetRequiredService<IMeterFactory>().Create(MeterName).CreateCounter<long>("test.calls");
        const int LabelSets = ServiceTelemetry.MetricCardinalityLimit + 50;
        for (var i = 0; i < LabelSets; i++)
        {
            counter.Add(1, new KeyValuePair<string, object?>("caller", i));
        }

        using var client = new HttpClient { BaseAddress = new Uri(ServiceProcess.LoopbackUrl(managementPort)) };
        var series = Series().Matches(await client.GetStringAsync("/metrics"));

        Assert.Equal(ServiceTelemetry.MetricCardinalityLimit, series.Count(match => match.Groups["labels"].Value.Contains("caller=", StringComparison.Ordinal)));
        var overflow = Assert.Single(series, match => match.Groups["labels"].Value.Contains("otel_metric_overflow=\"true\"", StringComparison.Ordinal));
        Assert.Equal(LabelSets - ServiceTelemetry.MetricCardinalityLimit, int.Parse(overflow.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^test_calls_total\{(?<labels>[^}]*)\} (?<value>\d+)", RegexOptions.Multiline)]
    private static partial Regex Series();
}
