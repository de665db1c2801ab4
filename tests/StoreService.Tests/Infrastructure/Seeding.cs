using System.Collections.Concurrent;
using CanaryDemo.Store.V1;
using StoreClient = CanaryDemo.Store.V1.StoreService.StoreServiceClient;

namespace CanaryDemo.StoreService.Tests.Infrastructure;

internal static class Seeding
{
    /// <summary>
    /// Creates <paramref name="count"/> items through the service, several at a time: enough to
    /// keep a local DynamoDB busy, few enough that each create stays well inside the store's
    /// one-second attempt on a loaded machine.
    /// </summary>
    public static async Task<List<Item>> CreateAsync(
        StoreClient client, int count, Func<int, CreateItemRequest> request)
    {
        var created = new ConcurrentBag<Item>();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (index, cancellationToken) => created.Add(
                (await client.CreateItemAsync(request(index), cancellationToken: cancellationToken)).Item));
        return [.. created];
    }
}
