using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace CanaryDemo.ServiceDefaults;

/// <summary>
/// Gives the memory that starting took back to the system once start-up is over: the host has
/// started, a health round found the service healthy (its store or table answered), and
/// <see cref="SettleTime"/> has passed, in which the first requests (the readiness probes) do
/// their one-time set-up (routing tables, connections). Starting allocates about 10 MB that is
/// garbage right after; an idle canary allocates next to nothing, so no collection would come to
/// release it, and the GC would keep its regions committed. One blocking, compacting, aggressive
/// collection, once, returns them: about 5 MiB of private memory per process (bench/footprint.md).
/// </summary>
internal sealed class StartupMemoryRelease : IHealthCheckPublisher, IHostedService
{
    /// <summary>How long after the service is started and healthy the memory is released.</summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(1);

    private readonly IHostApplicationLifetime _lifetime;
    private readonly Action _release;
    private readonly TimeSpan _settleTime;
    private readonly TaskCompletionSource _healthy = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StartupMemoryRelease(IHostApplicationLifetime lifetime)
        : this(lifetime, static () => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true), SettleTime)
    {
    }

    internal StartupMemoryRelease(IHostApplicationLifetime lifetime, Action release, TimeSpan settleTime)
    {
        _lifetime = lifetime;
        _release = release;
        _settleTime = settleTime;
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
            await Task.Delay(_settleTime, _lifetime.ApplicationStopping);
        }
        catch (OperationCanceledException)
        {
            return; // stopped before it was ever ready
        }

        _release();
    }
}
