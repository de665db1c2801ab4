using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace CanaryDemo.ServiceDefaults;

/// <summary>
/// Gives the memory that starting took back to the system once start-up is over: the host has
/// started and a health round found the service healthy (its store or table answered). Starting
/// allocates about 10 MB that is garbage right after (configuration, dependency injection,
/// Kestrel, OpenTelemetry, the first connections); an idle canary allocates next to nothing, so no
/// collection would come to release it, and the GC would keep its regions committed for good. One
/// blocking, compacting, aggressive collection, once, returns them: about 5 MiB of private memory
/// per process (bench/footprint.md).
/// </summary>
internal sealed class StartupMemoryRelease : IHealthCheckPublisher, IHostedService
{
    private readonly IHostApplicationLifetime _lifetime;
    private readonly Action _release;
    private readonly TaskCompletionSource _healthy = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StartupMemoryRelease(IHostApplicationLifetime lifetime)
        : this(lifetime, static () => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true))
    {
    }

    internal StartupMemoryRelease(IHostApplicationLifetime lifetime, Action release)
    {
        _lifetime = lifetime;
        _release = release;
    }

    /// <summary>Done once the memory was released, or the host stopped before it was ever ready.</summary>
    internal Task Completion { get; private set; } = Task.CompletedTask;

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        if (report.Status == HealthStatus.Healthy)
        {
            _healthy.TrySetResult();
        }

        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Completion = ReleaseWhenStartedAsync();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task ReleaseWhenStartedAsync()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = _lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        try
        {
            await Task.WhenAll(started.Task, _healthy.Task).WaitAsync(_lifetime.ApplicationStopping);
        }
        catch (OperationCanceledException)
        {
            return; // stopped before it was ever ready
        }

        _release();
    }
}
