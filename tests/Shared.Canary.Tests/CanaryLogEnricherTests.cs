using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace CanaryDemo.Shared.Canary.Tests;

public class CanaryLogEnricherTests
{
    private sealed class CollectingSink : ILogEventSink
    {
        public List<LogEvent> Events { get; } = [];

        public void Emit(LogEvent logEvent) => Events.Add(logEvent);
    }

    [Fact]
    public void Events_of_canary_requests_carry_the_canary_property()
    {
        var sink = new CollectingSink();
        using var logger = new LoggerConfiguration().Enrich.WithCanaryContext().WriteTo.Sink(sink).CreateLogger();

        logger.Information("stable");
        using (CanaryContext.Enter("42"))
        {
            logger.Information("canary");
        }

        Assert.False(sink.Events[0].Properties.ContainsKey(CanaryHeaders.LogProperty));
        Assert.Equal("42", ((ScalarValue)sink.Events[1].Properties[CanaryHeaders.LogProperty]).Value);
    }
}
