using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace CanaryDemo.Testing;

/// <summary>
/// A built service of this repository run as its own process on a loopback address, configured
/// through environment variables like in a container: <c>dotnet &lt;Service&gt;.dll</c> from the
/// test output folder, or the binary named by an environment variable (a Native AOT publish).
/// Besides its application address it listens on the management port named by <c>Management__Port</c>
/// (Prometheus <c>/metrics</c>). Its JSON log lines are collected so tests can assert on them.
/// </summary>
public abstract class ServiceProcess : IAsyncDisposable
{
    /// <summary>The OS picks the port; the service logs the address it got.</summary>
    public const string AnyLoopbackPort = "http://127.0.0.1:0";

    /// <summary>The environment variable (configuration key <c>Management:Port</c>) of the management port.</summary>
    public const string ManagementPortVariable = "Management__Port";

    private readonly Process _process;
    private readonly ConcurrentQueue<JsonElement> _logs = new();
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _disposed;

    /// <param name="executableVariable">Names the binary to run instead of <c>dotnet <paramref name="dll"/></c>.</param>
    /// <param name="dll">The service's assembly, which the test project copies next to itself.</param>
    /// <param name="url">The listen address (<c>--urls</c>).</param>
    /// <param name="environment">The service's configuration, including a free <c>Management__Port</c>.</param>
    protected ServiceProcess(string executableVariable, string dll, string url, IReadOnlyDictionary<string, string?> environment)
    {
        // Without one the service would take 9090, a fixed port.
        ManagementPort = environment.TryGetValue(ManagementPortVariable, out var managementPort) && managementPort is not null
            ? int.Parse(managementPort, CultureInfo.InvariantCulture)
            : throw new ArgumentException($"The environment must name a free {ManagementPortVariable}.", nameof(environment));
        var executable = Environment.GetEnvironmentVariable(executableVariable);
        var start = new ProcessStartInfo(executable ?? "dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (executable is null)
        {
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, dll));
        }

        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(url);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        Name = Path.GetFileNameWithoutExtension(dll);
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, line) => Collect(line.Data);
        _process.ErrorDataReceived += (_, line) => Collect(line.Data);
        _process.Exited += (_, _) => _listening.TrySetException(
            new InvalidOperationException($"{Name} exited ({_process.ExitCode}) before listening. Output:\n{Output}"));
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The address the service listens on, from its start-up log line.</summary>
    public string Address => _listening.Task.IsCompletedSuccessfully
        ? _listening.Task.Result
        : throw new InvalidOperationException($"{Name} is not listening.");

    public int Port => new Uri(Address).Port;

    public int ManagementPort { get; }

    /// <summary>
    /// The management listener is on the application's hosts (loopback here), and Kestrel binds every
    /// address before the host logs any, so it is up once <see cref="Address"/> is known.
    /// </summary>
    public string ManagementAddress => _listening.Task.IsCompletedSuccessfully
        ? LoopbackUrl(ManagementPort)
        : throw new InvalidOperationException($"{Name} is not listening.");

    /// <summary>Every line the service printed (JSON log events, or anything else verbatim).</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>The JSON log events so far.</summary>
    public IReadOnlyList<JsonElement> Logs => [.. _logs];

    public async Task WaitUntilListeningAsync(TimeSpan timeout) => await _listening.Task.WaitAsync(timeout);

    /// <summary>The log events that satisfy <paramref name="match"/>, waiting until at least <paramref name="count"/> arrived.</summary>
    public async Task<IReadOnlyList<JsonElement>> WaitForLogsAsync(Func<JsonElement, bool> match, int count = 1)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var found = _logs.Where(match).ToList();
            if (found.Count >= count)
            {
                return found;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"No matching log event from {Name}. Output:\n{Output}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Sends SIGTERM and waits for the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        Signals.Terminate(_process);
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            Signals.Terminate(_process);
            try
            {
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(25));
            }
            catch (TimeoutException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
        GC.SuppressFinalize(this);
    }

    private void Collect(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        if (!line.StartsWith('{'))
        {
            return;
        }

        var log = JsonDocument.Parse(line).RootElement.Clone();
        _logs.Enqueue(log);
        if (log.TryGetProperty("address", out var address) &&
            log.TryGetProperty("SourceContext", out var source) && source.GetString() == "Microsoft.Hosting.Lifetime" &&
            new Uri(address.GetString()!).Port != ManagementPort)
        {
            _listening.TrySetResult(address.GetString()!);
        }
    }

    /// <summary>A loopback listen address on a known port, e.g. to start a service again where it was.</summary>
    public static string LoopbackUrl(int port) => $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
}
