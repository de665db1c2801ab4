using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace CanaryDemo.StoreService.Tests.Infrastructure;

/// <summary>
/// The built StoreService run as its own process (`dotnet StoreService.dll`, or the binary named by
/// <c>STORE_SERVICE_EXECUTABLE</c>) on a free loopback
/// port, configured through environment variables like in a container. Its JSON log lines are
/// collected so tests can assert on them.
/// </summary>
internal sealed class StoreServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<JsonElement> _logs = new();
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private GrpcChannel? _channel;

    private StoreServiceProcess(Process process) => _process = process;

    public GrpcChannel Channel => _channel ?? throw new InvalidOperationException("The service is not listening.");

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Every line the service printed (JSON log events, or anything else verbatim).</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>Settings every test service gets: dummy credentials, a fresh signing key, a free management port.</summary>
    public static Dictionary<string, string?> BaseEnvironment(string dynamoUrl, string tableName) => new()
    {
        ["Management__Port"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["AWS_ACCESS_KEY_ID"] = "local",
        ["AWS_SECRET_ACCESS_KEY"] = "local",
        // Never let the SDK look for instance metadata: tests only talk to loopback.
        ["AWS_EC2_METADATA_DISABLED"] = "true",
        ["Store__TableName"] = tableName,
        ["Store__Region"] = "eu-west-1",
        ["Store__ServiceUrl"] = dynamoUrl,
        ["Store__CreateTableIfMissing"] = "true",
        ["Store__PageTokenSigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
    };

    /// <summary>Starts the service; does not wait for it to listen (see <see cref="WaitUntilServingAsync"/>).</summary>
    public static StoreServiceProcess Start(IReadOnlyDictionary<string, string?> environment)
    {
        // STORE_SERVICE_EXECUTABLE runs the suite against a published (Native AOT) binary instead.
        var executable = Environment.GetEnvironmentVariable("STORE_SERVICE_EXECUTABLE");
        var start = new ProcessStartInfo(executable ?? "dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (executable is null)
        {
            start.ArgumentList.Add(RepositoryPaths.StoreServiceDll);
        }

        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var service = new StoreServiceProcess(process);
        process.OutputDataReceived += (_, line) => service.Collect(line.Data);
        process.ErrorDataReceived += (_, line) => service.Collect(line.Data);
        process.Exited += (_, _) => service._listening.TrySetException(
            new InvalidOperationException($"StoreService exited ({process.ExitCode}) before listening. Output:\n{service.Output}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    public static async Task<StoreServiceProcess> StartServingAsync(IReadOnlyDictionary<string, string?> environment)
    {
        var service = Start(environment);
        try
        {
            await service.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    public async Task WaitUntilServingAsync(TimeSpan timeout)
    {
        await WaitUntilListeningAsync(timeout);
        await WaitForHealthAsync(HealthCheckResponse.Types.ServingStatus.Serving, timeout);
    }

    public async Task WaitUntilListeningAsync(TimeSpan timeout)
    {
        var address = await _listening.Task.WaitAsync(timeout);
        _channel ??= GrpcChannel.ForAddress(address);
    }

    public async Task<HealthCheckResponse.Types.ServingStatus> HealthAsync(string service = "")
    {
        var response = await new Health.HealthClient(Channel).CheckAsync(
            new HealthCheckRequest { Service = service }, deadline: DateTime.UtcNow.AddSeconds(5));
        return response.Status;
    }

    public async Task WaitForHealthAsync(HealthCheckResponse.Types.ServingStatus expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                if (await HealthAsync() == expected)
                {
                    return;
                }
            }
            catch (Grpc.Core.RpcException) when (DateTime.UtcNow < deadline)
            {
                // No verdict yet (the first probe has not finished).
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"Health did not become {expected} within {timeout}. Output:\n{Output}");
            }

            await Task.Delay(100);
        }
    }

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
                throw new TimeoutException($"No matching log event. Output:\n{Output}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>The per-RPC log lines of one store method for one tenant, in order.</summary>
    public Task<IReadOnlyList<JsonElement>> WaitForRpcLogsAsync(string method, long tenantId, int count = 1) =>
        WaitForLogsAsync(
            log => log.TryGetProperty("grpc_method", out var logged) && logged.GetString() == $"/store.v1.StoreService/{method}" &&
                   log.TryGetProperty("tenant", out var tenant) && tenant.GetInt64() == tenantId,
            count);

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

    public async ValueTask DisposeAsync()
    {
        _channel?.Dispose();
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
            _listening.TrySetResult(address.GetString()!);
        }
    }
}
