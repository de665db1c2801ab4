using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace CanaryDemo.ServiceDefaults.Tests;

/// <summary>Start-up memory is released once, when the host has started and the service first reports healthy.</summary>
public sealed class StartupMemoryReleaseTests
{
    private static readonly HealthReport Healthy = new(new Dictionary<string, HealthReportEntry>(), TimeSpan.Zero);
    private static readonly HealthReport Unhealthy = new(
        new Dictionary<string, HealthReportEntry> { ["store"] = new(HealthStatus.Unhealthy, "down", TimeSpan.Zero, null, null) }, TimeSpan.Zero);

    [Fact]
    public async Task Released_once_after_the_start_and_the_first_healthy_report_in_either_order()
    {
        foreach (var healthyFirst in new[] { true, false })
        {
            using var lifetime = new Lifetime();
            var releases = 0;
            var release = new StartupMemoryRelease(lifetime, () => releases++, TimeSpan.Zero);
            await release.StartAsync(CancellationToken.None);

            await release.PublishAsync(Unhealthy, CancellationToken.None);
            if (healthyFirst)
            {
                await release.PublishAsync(Healthy, CancellationToken.None);
                Assert.Equal(0, releases);
                lifetime.Started.Cancel();
            }
            else
            {
                lifetime.Started.Cancel();
                Assert.False(release.Completion.IsCompleted);
                await release.PublishAsync(Healthy, CancellationToken.None);
            }

            await release.Completion;
            await release.PublishAsync(Healthy, CancellationToken.None);
            Assert.Equal(1, releases);
        }
    }

    [Fact]
    public async Task Never_released_when_the_service_stops_before_it_was_healthy()
    {
        using var lifetime = new Lifetime();
        var releases = 0;
        var release = new StartupMemoryRelease(lifetime, () => releases++, TimeSpan.Zero);
        await release.StartAsync(CancellationToken.None);
        lifetime.Started.Cancel();
        await release.PublishAsync(Unhealthy, CancellationToken.None);

        lifetime.Stopping.Cancel();
        await release.Completion;

        Assert.Equal(0, releases);
    }

    private sealed class Lifetime : IHostApplicationLifetime, IDisposable
    {
        public CancellationTokenSource Started { get; } = new();

        public CancellationTokenSource Stopping { get; } = new();

        public CancellationToken ApplicationStarted => Started.Token;

        public CancellationToken ApplicationStopping => Stopping.Token;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => Stopping.Cancel();

        public void Dispose()
        {
            Started.Dispose();
            Stopping.Dispose();
        }
    }
}
