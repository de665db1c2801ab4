using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace CanaryDemo.Observability.Tests.Infrastructure;

/// <summary>
/// One of the services run as its own process (<c>dotnet &lt;Service&gt;.dll</c> from the build
/// output copied next to the tests, or the published binary named by <c>API_SERVICE_EXECUTABLE</c> /
/// <c>STORE_SERVICE_EXECUTABLE</c>), configured through environment variables like in a container:
/// the application on a free loopback port, the management port on another. Its JSON log lines are
/// kept for assertions.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly int _managementPort;
    private readonly ConcurrentQueue<JsonElement> _logs = new();
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentQueue<Uri> _addresses = new();

    private ServiceProcess(Process process, int managementPort)
    {
        _process = process;
        _managementPort = managementPort;
    }

    /// <summary>The application address, http://127.0.0.1:port.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>The management (Prometheus) address, http://127.0.0.1:port.</summary>
    public Uri ManagementAddress { get; private set; } = null!;

    public string Output => string.Join('\n', _output);

    /// <param name="assemblyName">ApiService or StoreService.</param>
    /// <param name="executableVariable">The environment variable that may name a published (Native AOT) binary instead.</param>
    /// <param name="environment">The service's configuration.</param>
    public static async Task<ServiceProcess> StartAsync(
        string assemblyName, string executableVariable, IReadOnlyDictionary<string, string?> environment)
    {
        var managementPort = FreePort.Next();
        var executable = Environment.GetEnvironmentVariable(executableVariable);
        var start = new ProcessStartInfo(executable ?? "dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (executable is null)
        {
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, $"{assemblyName}.dll"));
        }

        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.Environment["Management__Port"] = managementPort.ToString(CultureInfo.InvariantCulture);
        var process = new Process { StartInfo = start };
        var service = new ServiceProcess(process, managementPort);
        process.OutputDataReceived += (_, line) => service.Collect(line.Data);
        process.ErrorDataReceived += (_, line) => service.Collect(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await service.WaitUntilListeningAsync(TimeSpan.FromSeconds(60));
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    /// <summary>The log events that satisfy <paramref name="match"/>, waiting until at least one arrived.</summary>
    public async Task<IReadOnlyList<JsonElement>> WaitForLogsAsync(Func<JsonElement, bool> match)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var found = _logs.Where(match).ToList();
            if (found.Count > 0)
            {
                return found;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"No matching log event. Output:\n{Output}");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
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
    }

    private async Task WaitUntilListeningAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (_addresses.Count < 2)
        {
            if (_process.HasExited || DateTime.UtcNow >= deadline)
            {
                throw new InvalidOperationException($"The service is not listening on two ports. Output:\n{Output}");
            }

            await Task.Delay(50);
        }

        Address = _addresses.Single(address => address.Port != _managementPort);
        ManagementAddress = _addresses.Single(address => address.Port == _managementPort);
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
            log.TryGetProperty("SourceContext", out var source) && source.GetString() == "Microsoft.Hosting.Lifetime")
        {
            _addresses.Enqueue(new Uri(address.GetString()!));
        }
    }
}
