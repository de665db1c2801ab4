using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace CanaryDemo.ApiService.Store;

/// <summary>Configuration section <c>StoreService</c>: where the store listens and how long a call may take.</summary>
internal sealed class StoreServiceOptions : IValidatableObject
{
    public const string SectionName = "StoreService";

    /// <summary>The store's gRPC address, e.g. <c>http://store-service.apps.svc.cluster.local:8080</c> (h2c).</summary>
    [Required]
    [Url]
    public string Address { get; set; } = string.Empty;

    /// <summary>The deadline of every store call, all its attempts included, in seconds.</summary>
    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// The deadline of one attempt. Above the store's own budget for a call against DynamoDB
    /// (1.5 s by default), so the store's answer arrives before the attempt is given up.
    /// </summary>
    [Range(100, 300_000)]
    public int AttemptTimeoutMilliseconds { get; set; } = 2000;

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    public TimeSpan AttemptTimeout => TimeSpan.FromMilliseconds(AttemptTimeoutMilliseconds);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AttemptTimeout > Timeout)
        {
            yield return new ValidationResult(
                "StoreService:AttemptTimeoutMilliseconds must not exceed StoreService:TimeoutSeconds.",
                [nameof(AttemptTimeoutMilliseconds)]);
        }
    }
}

[OptionsValidator]
internal sealed partial class StoreServiceOptionsValidator : IValidateOptions<StoreServiceOptions>;
