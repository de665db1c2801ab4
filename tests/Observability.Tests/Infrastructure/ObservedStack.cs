namespace CanaryDemo.Observability.Tests.Infrastructure;

/// <summary>
/// A local DynamoDB, the store-service and the api-service as real processes, exporting over OTLP to a
/// receiver hosted here, started once for the "observed stack" collection. Tests in one collection
/// run one after the other, so metric deltas a test measures are its own.
/// </summary>
public sealed class ObservedStack : IAsyncLifetime
{
    private static long s_nextTenant = 5_000;

    private LocalDynamoDb? _dynamo;

    public OtlpReceiver Collector { get; private set; } = null!;

    public StoreServiceProcess Store { get; private set; } = null!;

    public ApiServiceProcess Api { get; private set; } = null!;

    /// <summary>The api-service's application port.</summary>
    public HttpClient Client { get; private set; } = null!;

    private HttpClient Management { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    public static long NewTenant() => Interlocked.Increment(ref s_nextTenant);

    public async Task<PrometheusScrape> ScrapeAsync(ServiceProcess service) =>
        PrometheusScrape.Parse(await Management.GetStringAsync($"{service.ManagementAddress}/metrics"));

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
        try
        {
            await StartAsync();
        }
        catch
        {
            // xunit does not dispose a fixture whose start failed; its processes must not outlive the run.
            await DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync()
    {
        _dynamo = await LocalDynamoDb.StartAsync();
        Collector = await OtlpReceiver.StartAsync();
        Store = await StoreServiceProcess.StartServingAsync(
            ExportingToCollector(StoreServiceProcess.BaseEnvironment(_dynamo.Url, "observed-items")));
        Api = await ApiServiceProcess.StartReadyAsync(ExportingToCollector(ApiServiceProcess.BaseEnvironment(Store.Address)));
        Client = Api.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        Management.Dispose();
        foreach (var service in new ServiceProcess[] { Api, Store })
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

        if (_dynamo is not null)
        {
            await _dynamo.DisposeAsync();
        }
    }

    private Dictionary<string, string?> ExportingToCollector(Dictionary<string, string?> environment)
    {
        environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = Collector.Endpoint;
        environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        // Export within a fraction of a second instead of the default 5 s (spans) and 60 s (metrics).
        environment["OTEL_BSP_SCHEDULE_DELAY"] = "100";
        environment["OTEL_METRIC_EXPORT_INTERVAL"] = "500";
        return environment;
    }
}

[CollectionDefinition(Name)]
public sealed class ObservedStackCollection : ICollectionFixture<ObservedStack>
{
    public const string Name = "observed stack";
}
