namespace CanaryDemo.Observability.Tests.Infrastructure;

/// <summary>
/// A local DynamoDB, the store-service and the api-service as real processes, exporting over OTLP to a
/// receiver hosted here, started once for the "observed stack" collection. Tests in one collection
/// run one after the other, so metric deltas a test measures are its own.
/// </summary>
public sealed class ObservedStack : IAsyncLifetime
{
    private static long s_nextTenant = 5_000;

    private readonly ProcessGroup _processes = new();

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

    public Task InitializeAsync() => _processes.StartAsync(async () =>
    {
        var dynamo = await _processes.AddAsync(LocalDynamoDb.StartAsync());
        Collector = await _processes.AddAsync(OtlpReceiver.StartAsync());
        Store = await _processes.AddAsync(StoreServiceProcess.StartServingAsync(
            ExportingToCollector(StoreServiceProcess.BaseEnvironment(dynamo.Url, "observed-items"))));
        Api = await _processes.AddAsync(ApiServiceProcess.StartReadyAsync(ExportingToCollector(ApiServiceProcess.BaseEnvironment(Store.Address))));
        Client = Api.CreateClient();
    });

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        Management.Dispose();
        await _processes.DisposeAsync();
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
