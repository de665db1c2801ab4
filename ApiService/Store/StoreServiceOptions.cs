using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace CanaryDemo.ApiService.Store;

/// <summary>Configuration section <c>StoreService</c>: where the store listens and how long a call may take.</summary>
internal sealed class StoreServiceOptions
{
    public const string SectionName = "StoreService";

    /// <summary>The store's gRPC address, e.g. <c>http://store-service.apps.svc.cluster.local:8080</c> (h2c).</summary>
    [Required]
    [Url]
    public string Address { get; set; } = string.Empty;

    /// <summary>The deadline of every store call, in seconds.</summary>
    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 5;

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);
}

[OptionsValidator]
internal sealed partial class StoreServiceOptionsValidator : IValidateOptions<StoreServiceOptions>;
