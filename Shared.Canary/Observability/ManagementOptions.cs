using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace CanaryDemo.Shared.Canary.Observability;

/// <summary>
/// Configuration section <c>Management</c> (env var <c>Management__Port</c>): the port that answers
/// Prometheus' <c>/metrics</c>, kept apart from the application port so that no ingress route ever
/// exposes it.
/// </summary>
public sealed class ManagementOptions
{
    public const string SectionName = "Management";

    public const string MetricsPath = "/metrics";

    [Range(1, 65535, ErrorMessage = "Management:Port must be a TCP port from 1 to 65535.")]
    public int Port { get; set; } = 9090;
}

[OptionsValidator]
internal sealed partial class ManagementOptionsValidator : IValidateOptions<ManagementOptions>;
