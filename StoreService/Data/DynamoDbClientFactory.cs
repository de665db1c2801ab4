using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using CanaryDemo.ServiceDefaults;
using CanaryDemo.StoreService.Configuration;

namespace CanaryDemo.StoreService.Data;

/// <summary>The low-level DynamoDB client, pointed at AWS (region) or at a local endpoint.</summary>
internal static class DynamoDbClientFactory
{
    public static AmazonDynamoDBClient Create(StoreOptions options)
    {
        var config = new AmazonDynamoDBConfig
        {
            // Exactly one HTTP request per SDK call. The SDK would re-send a write after a timeout
            // or a reset connection (MaxStaleConnectionRetries defaults to 10, outside
            // MaxErrorRetry), applying it again and hiding that the first attempt was sent.
            // DynamoRequests retries instead, knowing which failures left nothing applied.
            MaxErrorRetry = 0,
            MaxStaleConnectionRetries = 0,
            HttpClientFactory = new MarkedConnections(options.ConnectTimeout),
        };
        if (string.IsNullOrEmpty(options.ServiceUrl))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }
        else
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = options.Region;
        }

        // Credentials: the standard AWS chain (environment, IRSA / pod identity, profile).
        return new AmazonDynamoDBClient(config);
    }

    /// <summary>
    /// HTTP clients whose connection failures say "not sent" (<see cref="OutboundConnections"/>).
    /// They have no timeout of their own: each request is bounded by DynamoRequests' token.
    /// </summary>
    private sealed class MarkedConnections(TimeSpan connectTimeout) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new SocketsHttpHandler
        {
            ConnectCallback = OutboundConnections.ConnectCallback(connectTimeout),
            // Below the 5 s keep-alive timeout of Node's HTTP server (dynalite): a pooled
            // connection the server has just closed would fail a write that was never read.
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(4),
            AllowAutoRedirect = clientConfig.AllowAutoRedirect,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }
}
