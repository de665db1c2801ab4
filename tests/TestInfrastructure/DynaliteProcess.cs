using System.Diagnostics;

namespace CanaryDemo.Testing;

/// <summary>A real dynalite (local DynamoDB) on a free loopback port, in memory or on a data folder.</summary>
public sealed class DynaliteProcess : IAsyncDisposable
{
    private Process? _process;

    private DynaliteProcess(int port, string? dataPath)
    {
        Port = port;
        DataPath = dataPath;
    }

    public int Port { get; }

    public string? DataPath { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public static async Task<DynaliteProcess> StartAsync(string? dataPath = null)
    {
        if (!File.Exists(RepositoryPaths.Dynalite))
        {
            throw new InvalidOperationException(
                $"dynalite is not installed ({RepositoryPaths.Dynalite} is missing): run `npm ci --prefix tools/dynalite` " +
                "in the repository root first.");
        }

        var dynalite = new DynaliteProcess(FreePort.Next(), dataPath);
        await dynalite.StartAgainAsync();
        return dynalite;
    }

    /// <summary>Starts it (again) on the same port and data folder.</summary>
    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo(RepositoryPaths.Dynalite)
        {
            ArgumentList = { "--host", "127.0.0.1", "--port", Port.ToString(), "--createTableMs", "50" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (DataPath is not null)
        {
            start.ArgumentList.Add("--path");
            start.ArgumentList.Add(DataPath);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("dynalite did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await FreePort.WaitUntilListeningAsync(Port, TimeSpan.FromSeconds(15));
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
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
