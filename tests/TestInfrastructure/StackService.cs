using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Aspire.Hosting.ApplicationModel;
using CanaryDemo.AppHost;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace CanaryDemo.Testing;

/// <summary>
/// One process of a <see cref="LocalStackApp"/>: where it listens, its process id, what it printed
/// (its JSON log lines, the channel an operator reads too), and its exit.
/// </summary>
public sealed partial class StackService : IDisposable
{
    private readonly LocalStackApp _stack;
    private readonly ConcurrentQueue<JsonElement> _logs = new();
    private readonly ConcurrentQueue<string> _output = new();
    private readonly Lock _lock = new();
    private TaskCompletionSource<int?> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private GrpcChannel? _channel;
    private int? _processId;

    internal StackService(LocalStackApp stack, StackProcess process)
    {
        _stack = stack;
        Process = process;
    }

    public StackProcess Process { get; }

    public string Name => Process.Name;

    public string Address => Process.Url ?? throw new InvalidOperationException($"{Name} listens on no port.");

    public int Port => Process.Port ?? throw new InvalidOperationException($"{Name} listens on no port.");

    public int ManagementPort => Process.MetricsPort ?? throw new InvalidOperationException($"{Name} has no management port.");

    public string ManagementAddress => ServiceProcess.LoopbackUrl(ManagementPort);

    /// <summary>The running process's id, e.g. to send it a signal.</summary>
    public int ProcessId => _processId ?? throw new InvalidOperationException($"{Name} is not running.");

    public bool HasExited => _exited.Task.IsCompleted;

    internal bool IsReady { get; private set; }

    /// <summary>Completes with the exit code when the process (last started) exits.</summary>
    internal Task<int?> Exited => _exited.Task;

    /// <summary>Every line it printed, across restarts.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>Its JSON log events so far.</summary>
    public IReadOnlyList<JsonElement> Logs => [.. _logs];

    /// <summary>A gRPC channel to it (the store tracks).</summary>
    public GrpcChannel Channel
    {
        get
        {
            lock (_lock)
            {
                return _channel ??= GrpcChannel.ForAddress(Address);
            }
        }
    }

    public HttpClient CreateClient() => new() { BaseAddress = new Uri(Address), Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The log events that satisfy <paramref name="match"/>, waiting until at least <paramref name="count"/> arrived.</summary>
    public async Task<IReadOnlyList<JsonElement>> WaitForLogsAsync(Func<JsonElement, bool> match, int count = 1)
    {
        // The lines come through the orchestrator's log stream, by seconds late on a busy machine.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var found = _logs.Where(match).ToList();
            if (found.Count >= count)
            {
                return found;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"{found.Count} of {count} matching log events from {Name}. Output:\n{Output}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>The store's gRPC health verdict.</summary>
    public Task<HealthCheckResponse.Types.ServingStatus> HealthAsync(string service = "") => StoreHealth.CheckAsync(Channel, service);

    /// <summary>Waits until the store's gRPC health answers <paramref name="expected"/>.</summary>
    public Task WaitForHealthAsync(HealthCheckResponse.Types.ServingStatus expected, TimeSpan timeout) =>
        StoreHealth.WaitForAsync(Channel, expected, timeout, Name, () => Output);

    /// <summary>The store's per-RPC log lines of one method for one tenant, in order.</summary>
    public Task<IReadOnlyList<JsonElement>> WaitForRpcLogsAsync(string method, long tenantId, int count = 1) =>
        WaitForLogsAsync(
            log => log.TryGetProperty("grpc_method", out var logged) && logged.GetString() == $"/store.v1.StoreService/{method}" &&
                   log.TryGetProperty("tenant", out var tenant) && tenant.GetInt64() == tenantId,
            count);

    /// <summary>Sends SIGTERM (as Kubernetes stops a pod) and returns the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        var exited = _exited.Task;
        Signals.Terminate(ProcessId);
        return await exited.WaitAsync(timeout) ?? throw new InvalidOperationException($"{Name} exited without an exit code.");
    }

    public async Task<int?> WaitForExitAsync(TimeSpan timeout) => await _exited.Task.WaitAsync(timeout);

    /// <summary>Starts the exited (or stopped) process again through the orchestrator, with its arguments, environment and ports, and waits until it is ready.</summary>
    public async Task StartAgainAsync()
    {
        await _stack.ExecuteAsync(Name, KnownResourceCommands.StartCommand);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await WaitUntilReadyAsync(timeout.Token);
    }

    /// <summary>Stops the process through the orchestrator (SIGTERM, then SIGKILL if it lingers) and waits for its exit.</summary>
    public async Task StopAsync()
    {
        var exited = _exited.Task;
        await _stack.ExecuteAsync(Name, KnownResourceCommands.StopCommand);
        await exited.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public void Dispose() => _channel?.Dispose();

    internal async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        IsReady = false;
        if (Process.RunsToCompletion)
        {
            await _stack.Notifications.WaitForResourceAsync(Name, KnownResourceStates.Finished, cancellationToken);
        }
        else
        {
            await _stack.Notifications.WaitForResourceAsync(Name,
                change => change.Snapshot.State?.Text == KnownResourceStates.Running && change.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy,
                cancellationToken);
        }

        IsReady = true;
    }

    /// <summary>A new state of the process: it started (a new id) or exited (its code).</summary>
    internal void Observe(CustomResourceSnapshot snapshot)
    {
        var state = snapshot.State?.Text;
        var pid = snapshot.Properties.FirstOrDefault(property => property.Name == "executable.pid")?.Value?.ToString();
        lock (_lock)
        {
            if (state == KnownResourceStates.Running && int.TryParse(pid, CultureInfo.InvariantCulture, out var id) && id > 0 && id != _processId)
            {
                _processId = id;
                if (_exited.Task.IsCompleted)
                {
                    _exited = new TaskCompletionSource<int?>(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }
            else if (state is not null && KnownResourceStates.TerminalStates.Contains(state))
            {
                _processId = null;
                _exited.TrySetResult(snapshot.ExitCode);
            }
        }
    }

    internal async Task CollectAsync(IAsyncEnumerable<IReadOnlyList<LogLine>> lines, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var batch in lines.WithCancellation(cancellationToken))
            {
                foreach (var line in batch)
                {
                    var content = Timestamp().Replace(line.Content, "", 1);
                    _output.Enqueue(content);
                    if (content.StartsWith('{'))
                    {
                        _logs.Enqueue(JsonDocument.Parse(content).RootElement.Clone());
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The stack stopped.
        }
    }

    /// <summary>The orchestrator's timestamp in front of each line.</summary>
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T[0-9:.]+Z ")]
    private static partial Regex Timestamp();
}
