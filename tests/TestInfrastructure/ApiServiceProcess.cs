using System.Net;
using CanaryDemo.AppHost;

namespace CanaryDemo.Testing;

/// <summary>
/// The built ApiService run alone as its own process (`dotnet ApiService.dll`, or the binary named
/// by <c>API_SERVICE_EXECUTABLE</c>) on a loopback port, configured through environment variables
/// like in a container. For tests of one process with a configuration no stack runs (start-up
/// validation, a second api next to a stack); stacks come from the AppHost (<see cref="LocalStackApp"/>).
/// Its JSON log lines are collected so tests can assert on them.
/// </summary>
public sealed class ApiServiceProcess : ServiceProcess
{
    private ApiServiceProcess(IReadOnlyDictionary<string, string?> environment, string url)
        : base("API_SERVICE_EXECUTABLE", "ApiService.dll", url, environment)
    {
    }

    /// <summary>The AppHost's settings (<see cref="LocalServices.Api"/>) for the store it calls, the browser origins it allows and a free management port; track stable.</summary>
    public static Dictionary<string, string?> BaseEnvironment(string storeAddress, params string[] allowedOrigins)
    {
        var environment = LocalServices.Api(storeAddress, FreePort.Next(), LocalServices.StableTrack)
            .ToDictionary(pair => pair.Key, pair => (string?)pair.Value)
            .Relaxed(ServiceBudgets.RelaxedApi);
        for (var index = 0; index < allowedOrigins.Length; index++)
        {
            environment[$"Cors__AllowedOrigins__{index}"] = allowedOrigins[index];
        }

        return environment;
    }

    /// <summary>The AppHost's <c>Jwt</c> mode settings (<see cref="LocalServices.JwtMode"/>) for <paramref name="issuer"/>, added to an environment.</summary>
    public static Dictionary<string, string?> WithJwtMode(Dictionary<string, string?> environment, JwtIssuer issuer)
    {
        foreach (var (name, value) in LocalServices.JwtMode(issuer))
        {
            environment[name] = value;
        }

        return environment;
    }

    public static ApiServiceProcess Start(IReadOnlyDictionary<string, string?> environment, string url = AnyLoopbackPort) =>
        new(environment, url);

    /// <summary>Starts the service and waits until <c>/healthz/ready</c> answers 200 (the store is serving).</summary>
    public static async Task<ApiServiceProcess> StartReadyAsync(IReadOnlyDictionary<string, string?> environment)
    {
        var service = Start(environment);
        try
        {
            await service.WaitUntilListeningAsync(TimeSpan.FromSeconds(60));
            await service.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    public HttpClient CreateClient() => new() { BaseAddress = new Uri(Address), Timeout = TimeSpan.FromSeconds(30) };

    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var client = CreateClient();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            using (var response = await client.GetAsync("/healthz/ready"))
            {
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"{Name} did not become ready within {timeout}. Output:\n{Output}");
            }

            await Task.Delay(100);
        }
    }
}
