using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace CanaryDemo.ServiceDefaults;

/// <summary>Logs when the background health probe's verdict changes, once per change.</summary>
internal sealed partial class HealthTransitionLogger(ILogger<HealthTransitionLogger> logger) : IHealthCheckPublisher
{
    private HealthStatus? _lastStatus;

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        if (report.Status != _lastStatus)
        {
            _lastStatus = report.Status;
            if (report.Status == HealthStatus.Healthy)
            {
                LogHealthy(logger);
            }
            else
            {
                var problems = report.Entries
                    .Where(entry => entry.Value.Status != HealthStatus.Healthy)
                    .Select(entry => $"{entry.Key}: {entry.Value.Description} {entry.Value.Exception?.Message}".Trim());
                LogUnhealthy(logger, report.Status, string.Join("; ", problems));
            }
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Health is now Healthy: serving")]
    private static partial void LogHealthy(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health is now {health_status}: not serving ({health_problems:l})")]
    private static partial void LogUnhealthy(ILogger logger, HealthStatus health_status, string health_problems);
}
