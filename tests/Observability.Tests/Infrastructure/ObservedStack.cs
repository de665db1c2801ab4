using System.Net;
using System.Security.Cryptography;

namespace CanaryDemo.Observability.Tests.Infrastructure;

/// <summary>
/// dynalite, the store-service and the api-service as real processes, exporting over OTLP to a
/// receiver hosted here, started once for the "observed stack" collection. Tests in one collection
/// run one after the other, so metric deltas a test measures are its own.
/// </summary>
public sealed class ObservedStack : IAsyncLifetime
{
    private static long s_nextTenant = 5_000;

    private DynaliteProcess? _dynalite;

    public OtlpReceiver Collector { get; private set; } = null!;

    public ServiceProcess Store { get; private set; } = null!;

    public ServiceProcess Api { get; private set; } = null!;

    /// <summary>The api-service's application port.</summary>
    public HttpClient Client { get; private set; } = null!;

    private HttpClient Management { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    public static long NewTenant() => Interlocked.Increment(ref s_nextTenant);

    public async Task<PrometheusScrape> ScrapeAsync(ServiceProcess service) =>
        PrometheusScrape.Parse(await Management.GetStringAsync(new Uri(service.ManagementAddress, "/metrics")));

    /// <summary>Scrapes until <paramref name="expected"/> holds: request metrics are recorded just after the response is sent.</summary>
    public async Task<PrometheusScrape> ScrapeUntilAsync(ServiceProcess service, Func<PrometheusScrape, bool> expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var scrape = await ScrapeAsync(service);
            if (expected(scrape) || DateTime.UtcNow >= deadline)
            {
                return scrape;
            }

            await Task.Delay(50);
        }
    }

    public async Task InitializeAsync()
    {
        _dynalite = await DynaliteProcess.StartAsync();
        Collector = await OtlpReceiver.StartAsync();
        Dictionary<string, string?> telemetry = new()
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Collector.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            // Export within a fraction of a second instead of the default 5 s (spans) and 60 s (metrics).
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        };
        Store = await ServiceProcess.StartAsync("StoreService", "STORE_SERVICE_EXECUTABLE", new Dictionary<string, string?>(telemetry)
        {
            ["AWS_ACCESS_KEY_ID"] = "local",
            ["AWS_SECRET_ACCESS_KEY"] = "local",
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["Store__TableName"] = "observed-items",
            ["Store__Region"] = "eu-west-1",
            ["Store__ServiceUrl"] = _dynalite.Url,
            ["Store__CreateTableIfMissing"] = "true",
            ["Store__PageTokenSigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        });
        Api = await ServiceProcess.StartAsync("ApiService", "API_SERVICE_EXECUTABLE", new Dictionary<string, string?>(telemetry)
        {
            ["StoreService__Address"] = Store.Address.ToString(),
        });
        Client = new HttpClient { BaseAddress = Api.Address, Timeout = TimeSpan.FromSeconds(30) };
        await WaitUntilReadyAsync();
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        Management.Dispose();
        foreach (var service in new[] { Api, Store })
        {
            if (service is not null)
            {
                await service.DisposeAsync();
            }
        }

        if (Collector is not null)
        {
            await Collector.DisposeAsync();
        }

        if (_dynalite is not null)
        {
            await _dynalite.DisposeAsync();
        }
    }

    /// <summary>The api is ready once the store answers its health check (the table exists by then).</summary>
    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            using var response = await Client.GetAsync("/healthz/ready");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"The stack did not become ready. Store:\n{Store.Output}\nApi:\n{Api.Output}");
            }

            await Task.Delay(100);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ObservedStackCollection : ICollectionFixture<ObservedStack>
{
    public const string Name = "observed stack";
}
