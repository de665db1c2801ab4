using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace CanaryDemo.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The stack's local DynamoDB as the fault tests treat it: frozen and resumed by signals to its
/// process (SIGSTOP keeps its connections open and answers nothing, like a stalled DynamoDB: the
/// orchestrator has no such state), stopped and started again through the orchestrator.
/// </summary>
public sealed class EngineFaults(StackService engine)
{
    private bool _frozen;

    /// <summary>When the engine, last started again, answered its first request (UTC): it is back from then on.</summary>
    public DateTime AnsweringSince { get; private set; }

    public void Freeze()
    {
        Signals.Stop(engine.ProcessId);
        _frozen = true;
    }

    public void Resume()
    {
        Signals.Continue(engine.ProcessId);
        _frozen = false;
    }

    public async Task StopAsync()
    {
        if (_frozen)
        {
            Resume(); // a stopped process does not act on SIGTERM
        }

        await engine.StopAsync();
    }

    /// <summary>Starts it again on the same port and data folder; returns once the stack's readiness check (and warm-up) passed.</summary>
    public async Task StartAgainAsync()
    {
        var ready = engine.StartAgainAsync();
        // A JVM listens seconds before it answers, and is warmed up after that: the first answer is the return.
        using var client = new AmazonDynamoDBClient(
            new BasicAWSCredentials("local", "local"),
            new AmazonDynamoDBConfig { ServiceURL = engine.Address, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0, Timeout = TimeSpan.FromSeconds(1) });
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                await client.ListTablesAsync(new ListTablesRequest());
                AnsweringSince = DateTime.UtcNow;
                break;
            }
            catch (Exception exception) when (exception is AmazonServiceException or HttpRequestException or TaskCanceledException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }

        await ready;
    }
}
