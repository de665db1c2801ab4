using System.Collections.Concurrent;
using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using CanaryDemo.AppHost;
using Microsoft.Extensions.DependencyInjection;

namespace CanaryDemo.Testing;

/// <summary>
/// The local stack as the AppHost describes it (the same resources <c>scripts/run</c> starts), run
/// by Aspire.Hosting.Testing on free loopback ports: the local DynamoDB <see cref="LocalEngine"/>
/// names, the services (their build, or the Native AOT binaries the environment names), in memory
/// unless a state folder is given. Started when every process is ready; stopped (and its processes
/// with it) when disposed.
/// </summary>
public sealed class LocalStackApp : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    private readonly DistributedApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, StackService> _services = new();
    private readonly ConcurrentDictionary<string, Task> _logCopies = new();
    private Task _watching = Task.CompletedTask;

    private LocalStackApp(DistributedApplication app)
    {
        _app = app;
        Layout = app.Services.GetRequiredService<StackLayout>();
        foreach (var process in Layout.Processes)
        {
            _services[process.Name] = new StackService(this, process);
        }
    }

    public StackLayout Layout { get; }

    internal ResourceNotificationService Notifications => _app.Services.GetRequiredService<ResourceNotificationService>();

    /// <summary>A process of the stack by name: <c>store-service</c>, <c>api-service-pr-42</c>, <c>dynamodb-local</c>, ...</summary>
    public StackService this[string name] => _services[name];

    public StackService Api => this[LocalServices.ApiService];

    public StackService Store => this[LocalServices.StoreService];

    /// <summary>The local DynamoDB.</summary>
    public StackService Engine => this[Layout.Options.Engine];

    /// <summary>The dashboard's address, when the stack was started with it.</summary>
    public Task<Uri> DashboardUrlAsync() => _app.GetDashboardUrlAsync();

    public static async Task<LocalStackApp> StartAsync(StackSettings settings)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync(
            typeof(LocalStack), settings.Arguments(), (options, _) => options.DisableDashboard = !settings.Dashboard);
        var app = await builder.BuildAsync();
        var stack = new LocalStackApp(app);
        try
        {
            stack._watching = stack.WatchAsync(stack._stopping.Token);
            using var timeout = new CancellationTokenSource(StartTimeout);
            await stack.WaitUntilReadyAsync(app.StartAsync(timeout.Token), timeout.Token);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _stopping.CancelAsync();
        await _watching;
        await Task.WhenAll(_logCopies.Values);
        await _app.DisposeAsync();
        foreach (var service in _services.Values)
        {
            service.Dispose();
        }

        _stopping.Dispose();
    }

    /// <summary>Runs a command of the orchestrator on a process (<see cref="KnownResourceCommands"/>: start, stop, restart).</summary>
    internal async Task ExecuteAsync(string name, string command)
    {
        var result = await _app.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(name, command);
        if (!result.Success)
        {
            throw new InvalidOperationException($"{command} on {name} failed: {result.Message}");
        }
    }

    /// <summary>
    /// Every process ready, or the first one that exits reported with its output: the orchestrator's
    /// start (<paramref name="starting"/>) waits for the processes the others wait for, forever when one died.
    /// </summary>
    private async Task WaitUntilReadyAsync(Task starting, CancellationToken cancellationToken)
    {
        var failed = new TaskCompletionSource<StackService>(TaskCreationOptions.RunContinuationsAsynchronously);
        foreach (var service in _services.Values)
        {
            // A step (the routing file, a table) fails the start when it ends unsuccessfully; the
            // processes waiting for it only report that they were cancelled.
            _ = service.Exited.ContinueWith(
                exited => { if (!service.Process.RunsToCompletion || exited.Result != 0) failed.TrySetResult(service); },
                TaskScheduler.Default);
        }

        var ready = Task.WhenAll([starting, .. _services.Values.Select(service => service.WaitUntilReadyAsync(cancellationToken))]);
        if (await Task.WhenAny(ready, failed.Task) == failed.Task)
        {
            var service = failed.Task.Result;
            throw new InvalidOperationException($"{service.Name} exited ({service.Exited.Result?.ToString(CultureInfo.InvariantCulture) ?? "unknown status"}) before the stack was ready. Output:\n{service.Output}");
        }

        try
        {
            await ready;
        }
        catch (OperationCanceledException)
        {
            var waiting = _services.Values.Where(service => !service.IsReady).Select(service => $"{service.Name}:\n{service.Output}");
            throw new TimeoutException($"The stack was not ready within {StartTimeout}; not ready:\n{string.Join("\n", waiting)}");
        }
    }

    /// <summary>Follows every process: its state (process id, exit code) and its output.</summary>
    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        var logs = _app.Services.GetRequiredService<ResourceLoggerService>();
        try
        {
            await foreach (var change in Notifications.WatchAsync(cancellationToken))
            {
                if (_services.TryGetValue(change.Resource.Name, out var service))
                {
                    _ = _logCopies.GetOrAdd(change.ResourceId, id => service.CollectAsync(logs.WatchAsync(id), cancellationToken));
                    service.Observe(change.Snapshot);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
    }
}
