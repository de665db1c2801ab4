using System.Net;
using System.Text.Json;
using CanaryDemo.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace CanaryDemo.EndToEnd.Tests.Faults;

/// <summary>
/// Creates and inventory changes without an Idempotency-Key, interrupted by a fault, then compared
/// with what the table holds once everything has settled: a write answered 503 ("retry") was not
/// applied, and every write that was applied was answered 2xx or 504 write-outcome-unknown.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class WriteOutcomeTests(FaultStack faults, ITestOutputHelper output) : IClassFixture<FaultStack>
{
    private const int Rounds = 40;
    private const long Stock = 1000;

    private StackFixture Stack => faults.Stack;

    [Fact]
    public async Task During_a_DynamoDB_freeze_no_applied_write_is_answered_503()
    {
        // One create and one inventory change every 40 ms; DynamoDB frozen for 1.2 s, longer than
        // the store's one-second attempt, while they are in flight.
        var outcome = await BurstOnACounterAsync(round => round switch
        {
            6 => Stack.Dynamo.Freeze,
            36 => Stack.Dynamo.Resume,
            _ => null,
        });

        Assert.True(outcome.Unknown > 0, "no write was caught by the freeze");
    }

    [Fact]
    public async Task With_the_store_killed_mid_burst_no_applied_write_is_answered_503()
    {
        // DynamoDB frozen so that writes are in flight inside the store when it is killed; it
        // resumes right after, and applies what the dead store had sent. Writes after the kill find
        // nobody listening.
        var outcome = await BurstOnACounterAsync(
            round => round switch
            {
                4 => Stack.Dynamo.Freeze,
                14 => Stack.KillStore,
                15 => Stack.Dynamo.Resume,
                _ => null,
            },
            afterBurst: Stack.RestartStoreAsync);

        Assert.True(outcome.Unknown > 0, "no write was in flight when the store was killed");
        Assert.True(outcome.NotApplied > 0, "no write found the store gone");
    }

    /// <summary>
    /// A counter item holding <see cref="Stock"/> for a new tenant, a burst of writes with the faults
    /// <paramref name="faultAt"/> schedules, then <paramref name="afterBurst"/>, and the answers checked
    /// against the table.
    /// </summary>
    private async Task<Outcome> BurstOnACounterAsync(Func<int, Action?> faultAt, Func<Task>? afterBurst = null)
    {
        var tenant = Stack.NewTenant();
        var item = await Stack.Client.CreateItemAsync(tenant, $$"""{"name":"Counter","price":1,"category":"home","inventory_count":{{Stock}}}""");
        var writes = await BurstAsync(tenant, item.GetProperty("id").GetString()!, faultAt);
        if (afterBurst is not null)
        {
            await afterBurst();
        }

        return await CheckAgainstTheTableAsync(tenant, item, writes);
    }

    private async Task<List<Write>> BurstAsync(long tenant, string id, Func<int, Action?> faultAt)
    {
        var writes = new List<Write>();
        for (var round = 0; round < Rounds; round++)
        {
            var name = $"burst {round:00}";
            writes.Add(new Write(name, Send(HttpMethod.Post, "/api/v1/items", $$"""{"name":"{{name}}","price":1,"category":"books"}""")));
            writes.Add(new Write(null, Send(HttpMethod.Patch, $"/api/v1/items/{id}/inventory", """{"quantity_change":1}""")));
            faultAt(round)?.Invoke();
            await Task.Delay(40);
        }

        await Task.WhenAll(writes.Select(write => write.Answer));
        return writes;

        async Task<HttpStatusCode> Send(HttpMethod method, string path, string body)
        {
            using var response = await Stack.Client.SendAsync(RawRequests.Create(method, path, tenant, body));
            if (!response.IsSuccessStatusCode)
            {
                // The only failures allowed: "not applied, retry" and "may have been applied".
                await ProblemAssert.IsProblemAsync(response, response.StatusCode,
                    response.StatusCode == HttpStatusCode.ServiceUnavailable ? "store-unavailable" : "write-outcome-unknown");
                Assert.Contains(response.StatusCode, new[] { HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout });
            }

            return response.StatusCode;
        }
    }

    private async Task<Outcome> CheckAgainstTheTableAsync(long tenant, JsonElement item, List<Write> writes)
    {
        var path = $"/api/v1/items/{item.GetProperty("id").GetString()}";
        var counter = await Poll.UntilSettledAsync(() => GetAsync(path, tenant), current => current.GetProperty("version").GetInt64());
        var page = await GetAsync("/api/v1/items?page_size=100", tenant);
        var names = page.GetProperty("items").EnumerateArray().Select(stored => stored.GetProperty("name").GetString()!).ToList();

        var creates = writes.Where(write => write.Name is not null).ToList();
        Assert.Equal(names.Count, names.Distinct().Count()); // no create was applied twice
        foreach (var create in creates)
        {
            var status = create.Answer.Result;
            var stored = names.Contains(create.Name!);
            Assert.True(status switch
            {
                HttpStatusCode.Created => stored,
                HttpStatusCode.ServiceUnavailable => !stored,
                _ => true, // may have been applied: either way is honest
            }, $"{create.Name}: answered {(int)status}, {(stored ? "stored" : "not stored")}");
        }

        var changes = writes.Where(write => write.Name is null).Select(write => write.Answer.Result).ToList();
        var applied = counter.GetProperty("inventory_count").GetInt64() - Stock;
        var ok = changes.Count(status => status == HttpStatusCode.OK);
        var unknown = changes.Count(status => status == HttpStatusCode.GatewayTimeout);
        // Every change answered 200 is applied, and only those answered 504 may add to them: had a
        // change answered 503 been applied, the count would exceed both.
        Assert.InRange(applied, ok, ok + unknown);
        Assert.Equal(1 + applied, counter.GetProperty("version").GetInt64());

        var all = writes.Select(write => write.Answer.Result).ToList();
        var outcome = new Outcome(
            all.Count(status => status is HttpStatusCode.OK or HttpStatusCode.Created),
            all.Count(status => status == HttpStatusCode.ServiceUnavailable),
            all.Count(status => status == HttpStatusCode.GatewayTimeout));
        var unknownCreatesStored = creates.Count(create => create.Answer.Result == HttpStatusCode.GatewayTimeout && names.Contains(create.Name!));
        output.WriteLine(
            $"{writes.Count} writes: {outcome.Applied} 2xx, {outcome.NotApplied} 503, {outcome.Unknown} 504 " +
            $"(of the 504 creates {unknownCreatesStored} were stored; of the 504 inventory changes {applied - ok} were applied)");
        return outcome;
    }

    private async Task<JsonElement> GetAsync(string path, long tenant) => await Stack.Client.GetJsonAsync(path, tenant);

    private sealed record Write(string? Name, Task<HttpStatusCode> Answer);

    private sealed record Outcome(int Applied, int NotApplied, int Unknown);
}
