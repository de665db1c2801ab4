using Serilog.Core;
using Serilog.Events;

namespace CanaryDemo.Shared.Canary;

/// <summary>Adds the <c>canary</c> property to every event written while serving a canary request.</summary>
public sealed class CanaryLogEnricher : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        if (CanaryContext.Current is { } pr)
        {
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty(CanaryHeaders.LogProperty, pr));
        }
    }
}
