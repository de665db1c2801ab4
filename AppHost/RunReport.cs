using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Hosting;

namespace CanaryDemo.AppHost;

/// <summary>
/// The run command's contract, kept by the AppHost: each process's log in <c>&lt;state&gt;/logs/&lt;name&gt;.log</c>,
/// its id in <c>pids/&lt;name&gt;</c>, address in <c>urls/&lt;name&gt;</c> and environment in <c>env/&lt;name&gt;</c> while it runs; one message once
/// every process is ready (ending in <see cref="ReadyMessage.ReadyLine"/>); a process that exits is
/// reported by name with its log. One that fails before the stack is ready stops it (exit code 1):
/// what waits for it would wait forever. It starts before the orchestrator starts any process
/// (<see cref="BeforeStartEvent"/>): the orchestrator's own start waits for the processes others wait for.
/// </summary>
internal sealed partial class RunReport(
    StackLayout layout,
    ResourceNotificationService notifications,
    ResourceLoggerService logs,
    IHostApplicationLifetime lifetime,
    DashboardAddress dashboard)
{
    private readonly ConcurrentDictionary<string, Task> _logCopies = new();
    private readonly ConcurrentDictionary<string, int> _pids = new();
    private readonly ConcurrentDictionary<string, bool> _logsStarted = new();
    private readonly TaskCompletionSource _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _ready;

    /// <summary>0, or 1 when a process failed before the stack was ready.</summary>
    public int ExitCode { get; private set; }

    /// <summary>Follows the stack until it stops; returns at once.</summary>
    public void Begin()
    {
        var stopping = lifetime.ApplicationStopping;
        var running = RunAsync(stopping);
        lifetime.ApplicationStopped.Register(() =>
        {
            running.Wait(TimeSpan.FromSeconds(5));
            CleanUp();
        });
    }

    private void CleanUp()
    {
        foreach (var process in layout.Processes)
        {
            Forget(process.Name);
        }

        if (layout.State.Temporary)
        {
            try
            {
                Directory.Delete(layout.State.Folder, recursive: true);
            }
            catch (IOException)
            {
                // A process still writing its log; the temporary folder is the OS's to clean.
            }
        }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        lifetime.ApplicationStopping.Register(() =>
        {
            if (_ready)
            {
                Console.WriteLine();
                Console.WriteLine("stopping...");
            }
        });
        var watching = WatchAsync(stoppingToken);
        var ready = WaitUntilReadyAsync(stoppingToken);
        if (await Task.WhenAny(ready, _failed.Task) == ready && ready.IsCompletedSuccessfully)
        {
            _ready = true;
            var token = layout.Jwt is not null && layout.Options.Jwt is null ? LocalIssuer.MintExample(layout.State.Folder) : null;
            Console.Write(ReadyMessage.Compose(layout, dashboard.Url, token));
        }

        await watching;
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(layout.Processes.Select(process => process.RunsToCompletion
            ? notifications.WaitForResourceAsync(process.Name, resource => resource.Snapshot.State?.Text == KnownResourceStates.Finished, cancellationToken)
            : notifications.WaitForResourceHealthyAsync(process.Name, cancellationToken)));
    }

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        var names = layout.Processes.ToDictionary(process => process.Name);
        try
        {
            await foreach (var change in notifications.WatchAsync(cancellationToken))
            {
                if (!names.TryGetValue(change.Resource.Name, out var process))
                {
                    continue;
                }

                _ = _logCopies.GetOrAdd(change.ResourceId, id => CopyLogAsync(id, process.Name, cancellationToken));
                var snapshot = change.Snapshot;
                var state = snapshot.State?.Text;
                if (state == KnownResourceStates.Running && Pid(snapshot) is { } pid && _pids.TryAdd(process.Name, pid))
                {
                    File.WriteAllText(Path.Combine(layout.State.Pids, process.Name), $"{pid}\n");
                    File.WriteAllText(Path.Combine(layout.State.Environments, process.Name),
                        string.Concat(snapshot.EnvironmentVariables.Where(variable => variable.IsFromSpec).Select(variable => $"{variable.Name}={variable.Value}\0")));
                    if (process.Url is { } url)
                    {
                        File.WriteAllText(Path.Combine(layout.State.Urls, process.Name), $"{url}\n");
                    }
                }
                else if (state is not null && KnownResourceStates.TerminalStates.Contains(state) && _pids.ContainsKey(process.Name))
                {
                    Forget(process.Name);
                    Exited(process, snapshot.ExitCode);
                }
                else if (state == KnownResourceStates.FailedToStart)
                {
                    Exited(process, snapshot.ExitCode);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private void Exited(StackProcess process, int? exitCode)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested || (process.RunsToCompletion && exitCode == 0))
        {
            return;
        }

        var status = exitCode?.ToString(CultureInfo.InvariantCulture) ?? "unknown";
        if (_ready)
        {
            Console.Error.WriteLine($"{process.Name} exited with status {status}; see {layout.State.LogOf(process.Name)} (the others keep running; Ctrl-C stops them)");
            return;
        }

        Console.Error.WriteLine($"error: {process.Name} exited with status {status} before the stack was ready; see {layout.State.LogOf(process.Name)}:");
        foreach (var line in File.Exists(layout.State.LogOf(process.Name)) ? File.ReadLines(layout.State.LogOf(process.Name)).TakeLast(20) : [])
        {
            Console.Error.WriteLine($"  {line}");
        }

        ExitCode = 1;
        _failed.TrySetResult();
        lifetime.StopApplication();
    }

    private void Forget(string name)
    {
        _pids.TryRemove(name, out _);
        File.Delete(Path.Combine(layout.State.Pids, name));
        File.Delete(Path.Combine(layout.State.Urls, name));
        File.Delete(Path.Combine(layout.State.Environments, name));
    }

    /// <summary>Everything the process writes, line by line, without the orchestrator's timestamps.</summary>
    private async Task CopyLogAsync(string resourceId, string name, CancellationToken cancellationToken)
    {
        // A new run starts each log afresh; a process started again within the run appends to it.
        await using var file = new StreamWriter(layout.State.LogOf(name), append: !_logsStarted.TryAdd(name, true)) { AutoFlush = true };
        try
        {
            await foreach (var batch in logs.WatchAsync(resourceId).WithCancellation(cancellationToken))
            {
                foreach (var line in batch)
                {
                    await file.WriteLineAsync(Timestamp().Replace(line.Content, "", 1));
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private static int? Pid(CustomResourceSnapshot snapshot) =>
        snapshot.Properties.FirstOrDefault(property => property.Name == "executable.pid")?.Value is { } value &&
        int.TryParse(value.ToString(), CultureInfo.InvariantCulture, out var pid) && pid > 0 ? pid : null;

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T[0-9:.]+Z ")]
    private static partial Regex Timestamp();
}
