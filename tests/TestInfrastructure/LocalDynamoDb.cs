using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace CanaryDemo.Testing;

/// <summary>
/// A local DynamoDB engine as a real process on a free loopback port, in memory or on a data
/// folder: Amazon's DynamoDB Local (<see cref="DynamoDbLocalProcess"/>, the default) or dynalite
/// (<see cref="DynaliteProcess"/>), chosen by <see cref="EngineVariable"/>. Each is one process,
/// so a test can freeze it (SIGSTOP) like a stalled DynamoDB and resume it.
/// </summary>
public abstract class LocalDynamoDb : IAsyncDisposable
{
    /// <summary>The environment variable that picks the engine of every test launcher: <c>dynamodb-local</c> or <c>dynalite</c>.</summary>
    public const string EngineVariable = "DYNAMODB_ENGINE";

    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;
    private bool _frozen;

    protected LocalDynamoDb(string? dataPath)
    {
        Port = FreePort.Next();
        DataPath = dataPath;
    }

    /// <summary>The engine the test launchers start (<see cref="EngineVariable"/>; DynamoDB Local when unset).</summary>
    public static string Engine => Environment.GetEnvironmentVariable(EngineVariable) is { Length: > 0 } engine ? engine : DynamoDbLocalProcess.EngineName;

    public abstract string Name { get; }

    public int Port { get; }

    public string? DataPath { get; }

    public string Url => $"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The engine's own process, e.g. to freeze it.</summary>
    public int ProcessId => _process is { HasExited: false } process
        ? process.Id
        : throw new InvalidOperationException($"{Name} is not running.");

    /// <summary>When the engine, last started, answered its first request (UTC): it is back from then on.</summary>
    public DateTime AnsweringSince { get; private set; }

    /// <summary>Everything the engine printed since it was last started.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>How long a start may take before it counts as failed.</summary>
    protected abstract TimeSpan StartTimeout { get; }

    /// <summary>Starts the engine <see cref="Engine"/> names, in memory or on <paramref name="dataPath"/>.</summary>
    public static async Task<LocalDynamoDb> StartAsync(string? dataPath = null)
    {
        LocalDynamoDb engine = Engine switch
        {
            DynamoDbLocalProcess.EngineName => new DynamoDbLocalProcess(dataPath),
            DynaliteProcess.EngineName => new DynaliteProcess(dataPath),
            var other => throw new InvalidOperationException(
                $"{EngineVariable}={other}: expected {DynamoDbLocalProcess.EngineName} or {DynaliteProcess.EngineName}."),
        };
        engine.EnsureInstalled();
        await engine.StartAgainAsync();
        return engine;
    }

    /// <summary>Starts it (again) on the same port and data folder.</summary>
    public async Task StartAgainAsync()
    {
        var start = Command();
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        _output.Clear();
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{Name} did not start");
        _process = process;
        _frozen = false;
        process.OutputDataReceived += (_, line) => Collect(line.Data);
        process.ErrorDataReceived += (_, line) => Collect(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // Fails as soon as it exits (e.g. the port was taken meanwhile), so that another program
        // answering on the port is never taken for this one.
        var listening = FreePort.WaitUntilListeningAsync(Port, StartTimeout);
        if (await Task.WhenAny(listening, process.WaitForExitAsync()) != listening)
        {
            await StopAsync();
            throw new InvalidOperationException($"{Name} exited before listening on {Url}. Output:\n{Output}");
        }

        try
        {
            await listening;
        }
        catch (System.Net.Sockets.SocketException)
        {
            await StopAsync();
            throw new TimeoutException($"{Name} did not listen on {Url} within {StartTimeout}. Output:\n{Output}");
        }

        await EngineWarmUp.FirstAnswerAsync(Url, StartTimeout);
        AnsweringSince = DateTime.UtcNow;
        await WarmUpAsync();
    }

    /// <summary>Stops the process (SIGSTOP): it keeps its connections and accepts new ones, and answers nothing, like a stalled DynamoDB.</summary>
    public void Freeze()
    {
        Signals.Stop(ProcessId);
        _frozen = true;
    }

    /// <summary>Lets a frozen engine run again (SIGCONT); it then answers what it received meanwhile.</summary>
    public void Resume()
    {
        Signals.Continue(ProcessId);
        _frozen = false;
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            if (_frozen)
            {
                Resume(); // a stopped process does not act on SIGTERM
            }

            Signals.Terminate(process);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>What a freshly started engine needs before tests measure it; nothing by default.</summary>
    protected virtual Task WarmUpAsync() => Task.CompletedTask;

    /// <summary>The command line that runs the engine on <see cref="Port"/> (and <see cref="DataPath"/>).</summary>
    protected abstract ProcessStartInfo Command();

    /// <summary>Throws with the command that installs the engine when it is missing.</summary>
    protected abstract void EnsureInstalled();

    private void Collect(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }
}
