using Microsoft.Extensions.Options;

namespace CanaryDemo.ServiceDefaults;

/// <summary>
/// Configuration section <c>Management</c> (env var <c>Management__Port</c>): the port that answers
/// Prometheus' <c>/metrics</c>, kept apart from the application port so that no ingress route ever
/// exposes it.
/// </summary>
public sealed class ManagementOptions
{
    public const string SectionName = "Management";

    public const string MetricsPath = "/metrics";

    public int Port { get; set; } = 9090;
}

/// <summary>
/// Written by hand: the source-generated validator drops a <c>[Range]</c>'s ErrorMessage
/// (dotnet/runtime#123137), and the port must also differ from the application's.
/// </summary>
internal sealed class ManagementOptionsValidator(IReadOnlyCollection<int> applicationPorts) : IValidateOptions<ManagementOptions>
{
    public ValidateOptionsResult Validate(string? name, ManagementOptions options) => options.Port switch
    {
        < 1 or > 65535 => ValidateOptionsResult.Fail("Management:Port must be a TCP port from 1 to 65535."),
        var port when applicationPorts.Contains(port) => ValidateOptionsResult.Fail($"Management:Port {port} is also an application port."),
        _ => ValidateOptionsResult.Success,
    };
}
