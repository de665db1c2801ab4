using Amazon;
using Amazon.DynamoDBv2;
using CanaryDemo.StoreService.Configuration;

namespace CanaryDemo.StoreService.Data;

/// <summary>The low-level DynamoDB client, pointed at AWS (region) or at a local endpoint (dynalite).</summary>
internal static class DynamoDbClientFactory
{
    public static AmazonDynamoDBClient Create(StoreOptions options)
    {
        var config = new AmazonDynamoDBConfig
        {
            // Per attempt; the repository also bounds the whole operation, retries included, so an
            // unreachable table answers Unavailable well within a caller's deadline.
            Timeout = options.RequestTimeout,
            MaxErrorRetry = 2,
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
}
