using System.Diagnostics;
using System.Net;
using CanaryDemo.EndToEnd.Tests.Infrastructure;
using Grpc.Health.V1;
using Xunit.Abstractions;

namespace CanaryDemo.EndToEnd.Tests.Faults;

/// <summary>
/// A local DynamoDB that stalls (SIGSTOP) or goes away, under the real store and api: every caller
/// gets an answer quickly, and readiness follows what item calls see. The bounds asserted here are
/// generous for a loaded 2-core machine (twice to three times the targets); bench/stall.sh prints
/// the figures against the targets: readiness NOT_SERVING within 2 s of DynamoDB stalling and
/// SERVING within 1 s of its return, every answer within about 2 s.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class DynamoDbOutageTests(FaultStack faults, ITestOutputHelper output) : IClassFixture<FaultStack>
{
    private static readonly TimeSpan DownBound = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan UpBound = TimeSpan.FromSeconds(2.5);
    private static readonly TimeSpan AnswerBound = TimeSpan.FromSeconds(3.5);

    private StackFixture Stack => faults.Stack;

    [Fact]
    public async Task A_stalled_DynamoDB_gets_every_read_503_and_every_write_an_honest_answer_well_before_the_deadline()
    {
        var tenant = Stack.NewTenant();
        var id = (await Stack.Client.CreateItemAsync(tenant)).GetProperty("id").GetString()!;

        Stack.Dynamo.Freeze();
        (HttpStatusCode Status, TimeSpan Elapsed)[] answers;
        try
        {
            answers = await Task.WhenAll(Enumerable.Range(0, 24).Select(async i =>
            {
                var request = (i % 3) switch
                {
                    0 => RawRequests.Create(HttpMethod.Get, $"/api/v1/items/{id}", tenant),
                    1 => RawRequests.Create(HttpMethod.Get, "/api/v1/items?category=electronics", tenant),
                    _ => RawRequests.Create(HttpMethod.Patch, $"/api/v1/items/{id}/inventory", tenant, """{"quantity_change":-1}"""),
                };
                var clock = Stopwatch.StartNew();
                using var response = await Stack.Client.SendAsync(request);
                var elapsed = clock.Elapsed;
                await ProblemAssert.IsProblemAsync(response, response.StatusCode, i % 3 < 2 || response.StatusCode == HttpStatusCode.ServiceUnavailable
                    ? "store-unavailable"
                    : "write-outcome-unknown");
                return (response.StatusCode, elapsed);
            }));
        }
        finally
        {
            Stack.Dynamo.Resume();
        }

        output.WriteLine($"answers during the stall: {string.Join(", ", answers.Select(answer => $"{(int)answer.Status} in {answer.Elapsed.TotalMilliseconds:0} ms"))}");
        Assert.All(answers, answer => Assert.InRange(answer.Elapsed, TimeSpan.Zero, AnswerBound));
        Assert.All(answers.Where((_, i) => i % 3 < 2), answer => Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.Status));
        Assert.Equal(HttpStatusCode.OK, await Poll.UntilSuccessAsync(() => Stack.Client.SendAsync(RawRequests.Create(HttpMethod.Get, $"/api/v1/items/{id}", tenant))));
    }

    [Fact]
    public async Task Readiness_follows_a_stalled_DynamoDB_and_its_return_and_agrees_with_item_calls() =>
        await ObserveAsync(
            "stall",
            () =>
            {
                Stack.Dynamo.Freeze();
                return Task.CompletedTask;
            },
            () =>
            {
                Stack.Dynamo.Resume();
                return Task.CompletedTask;
            });

    [Fact]
    public async Task Readiness_follows_a_stopped_DynamoDB_and_its_restart_and_agrees_with_item_calls() =>
        await ObserveAsync("stop", Stack.Dynamo.StopAsync, Stack.Dynamo.StartAgainAsync);

    /// <summary>
    /// Samples the store's health, the api's readiness and an item read every 50 ms while DynamoDB
    /// goes away (<paramref name="fail"/>) for 4 s and comes back (<paramref name="recover"/>), then
    /// checks how long each took to notice.
    /// </summary>
    private async Task ObserveAsync(string fault, Func<Task> fail, Func<Task> recover)
    {
        var tenant = Stack.NewTenant();
        var id = (await Stack.Client.CreateItemAsync(tenant)).GetProperty("id").GetString()!;
        var origin = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var storeHealth = SampleAsync(async () => await Stack.Store.HealthAsync("store.v1.StoreService") == HealthCheckResponse.Types.ServingStatus.Serving, clock, stop.Token);
        var apiReady = SampleAsync(
            async () =>
            {
                using var response = await Stack.Client.GetAsync("/healthz/ready", stop.Token);
                return response.StatusCode == HttpStatusCode.OK;
            },
            clock,
            stop.Token);
        var items = SampleAsync(
            async () =>
            {
                using var response = await Stack.Client.SendAsync(RawRequests.Create(HttpMethod.Get, $"/api/v1/items/{id}", tenant), stop.Token);
                return response.IsSuccessStatusCode;
            },
            clock,
            stop.Token);

        await Task.Delay(TimeSpan.FromSeconds(1));
        var failedAt = clock.Elapsed;
        await fail();
        await Task.Delay(TimeSpan.FromSeconds(4));
        var recovering = clock.Elapsed;
        await recover();
        // A restarted engine is back from its first answer (a JVM listens seconds before that, and is
        // warmed up after it); a resumed one answers at once.
        var recoveredAt = Stack.Dynamo.AnsweringSince > origin + recovering ? Stack.Dynamo.AnsweringSince - origin : clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(3));
        await stop.CancelAsync();
        var (store, api, calls) = (await storeHealth, await apiReady, await items);

        var storeDown = FirstAfter(store, failedAt, ok: false) - failedAt;
        var storeUp = FirstAfter(store, recoveredAt, ok: true) - recoveredAt;
        var apiDown = FirstAfter(api, failedAt, ok: false) - failedAt;
        var apiUp = FirstAfter(api, recoveredAt, ok: true) - recoveredAt;
        var callsDown = FirstAfter(calls, failedAt, ok: false) - failedAt;
        var callsUp = FirstAfter(calls, recoveredAt, ok: true) - recoveredAt;
        output.WriteLine(
            $"{fault}: store NOT_SERVING after {storeDown.TotalMilliseconds:0} ms, SERVING {storeUp.TotalMilliseconds:0} ms after the return " +
            $"({(recoveredAt - recovering).TotalMilliseconds:0} ms until it answered again); api not ready after {apiDown.TotalMilliseconds:0} ms, " +
            $"ready after {apiUp.TotalMilliseconds:0} ms; item calls failing after {callsDown.TotalMilliseconds:0} ms, succeeding after {callsUp.TotalMilliseconds:0} ms");

        Assert.All(new[] { store, api, calls }, samples => Assert.All(samples.Where(sample => sample.At < failedAt), sample => Assert.True(sample.Ok)));
        Assert.InRange(storeDown, TimeSpan.Zero, DownBound);
        Assert.InRange(apiDown, TimeSpan.Zero, DownBound);
        Assert.InRange(storeUp, TimeSpan.Zero, UpBound);
        Assert.InRange(apiUp, TimeSpan.Zero, UpBound);
        // Readiness and item calls change within a short window of each other, both ways.
        Assert.InRange((apiDown - callsDown).Duration(), TimeSpan.Zero, UpBound);
        Assert.InRange((apiUp - callsUp).Duration(), TimeSpan.Zero, UpBound);
    }

    /// <summary>When the first answer of the given kind arrived after <paramref name="since"/>.</summary>
    private static TimeSpan FirstAfter(List<Sample> samples, TimeSpan since, bool ok) =>
        samples.FirstOrDefault(sample => sample.At >= since && sample.Ok == ok)?.At ?? TimeSpan.MaxValue / 2;

    private static async Task<List<Sample>> SampleAsync(Func<Task<bool>> probe, Stopwatch clock, CancellationToken stop)
    {
        var samples = new List<Sample>();
        while (!stop.IsCancellationRequested)
        {
            bool ok;
            try
            {
                ok = await probe();
            }
            catch (Exception) when (!stop.IsCancellationRequested)
            {
                ok = false;
            }
            catch (OperationCanceledException)
            {
                break;
            }

            samples.Add(new Sample(clock.Elapsed, ok));
            await Task.Delay(50, CancellationToken.None);
        }

        return samples;
    }

    private sealed record Sample(TimeSpan At, bool Ok);
}
