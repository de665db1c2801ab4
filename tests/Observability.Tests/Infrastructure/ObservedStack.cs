using CanaryDemo.AppHost;

namespace CanaryDemo.Observability.Tests.Infrastructure;

/// <summary>
/// The stack as the AppHost runs it (a local DynamoDB, the store-service and the api-service as real
/// processes), exporting over OTLP to a receiver hosted here instead of the dashboard, started once
/// for the "observed stack" collection. Tests in one collection run one after the other, so metric
/// deltas a test measures are its own.
/// </summary>
public sealed class ObservedStack : IAsyncLifetime
{
    private static long s_nextTenant = 5_000;

    private LocalStackApp? _stack;

    public OtlpReceiver Collector { get; private set; } = null!;

    public StackService Store => _stack!.Store;

    public StackService Api => _stack!.Api;

    /// <summary>The api-service's application port.</summary>
    public HttpClient Client { get; private set; } = null!;

    private HttpClient Management { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    public static long NewTenant() => Interlocked.Increment(ref s_nextTenant);

    public async Task<PrometheusScrape> ScrapeAsync(StackService service) =>
        PrometheusScrape.Parse(await Management.GetStringAsync($"{service.ManagementAddress}/metrics"));

    /// <summary>Scrapes until <paramref name="expected"/> holds: request metrics are recorded just after the response is sent.</summary>
    public async Task<PrometheusScrape> ScrapeUntilAsync(StackService service, Func<PrometheusScrape, bool> expected)
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
        Collector = await OtlpReceiver.StartAsync();
        try
        {
            var exporting = ExportingToCollector();
            _stack = await LocalStackApp.StartAsync(new StackSettings
            {
                Environment = new Dictionary<string, IReadOnlyDictionary<string, string>>
                {
                    [LocalServices.StoreService] = exporting,
                    [LocalServices.ApiService] = exporting,
                },
            });
            Client = Api.CreateClient();
        }
        catch
        {
            await Collector.DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        Management.Dispose();
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }

        await Collector.DisposeAsync();
    }

    private Dictionary<string, string> ExportingToCollector() => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Collector.Endpoint,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        // Export within a fraction of a second instead of the default 5 s (spans) and 60 s (metrics).
        ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        ["OTEL_BLRP_SCHEDULE_DELAY"] = "100",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
    };
}

[CollectionDefinition(Name)]
public sealed class ObservedStackCollection : ICollectionFixture<ObservedStack>
{
    public const string Name = "observed stack";
}
