using System.ComponentModel.DataAnnotations;

namespace CanaryDemo.StoreService.Configuration;

/// <summary>The <c>Store</c> configuration section (env vars: <c>Store__TableName</c>, ...).</summary>
internal sealed class StoreOptions : IValidatableObject
{
    public const string SectionName = "Store";

    [Required(ErrorMessage = "Store:TableName is required (the DynamoDB table holding the items).")]
    [RegularExpression("^[a-zA-Z0-9_.-]{3,255}$",
        ErrorMessage = "Store:TableName must be 3 to 255 letters, digits, '_', '-' or '.'.")]
    public string TableName { get; set; } = "";

    /// <summary>DynamoDB endpoint override (dynalite); empty means the region's AWS endpoint.</summary>
    [AbsoluteHttpUrl(ErrorMessage = "Store:ServiceUrl must be an absolute http(s) URL such as http://127.0.0.1:5082.")]
    public string? ServiceUrl { get; set; }

    [Required(ErrorMessage = "Store:Region is required (for example eu-west-1).")]
    [RegularExpression("^[a-z]{2}(-[a-z]+)+-[0-9]+$",
        ErrorMessage = "Store:Region must be an AWS region name such as eu-west-1.")]
    public string Region { get; set; } = "";

    /// <summary>Creates the table and its indexes at start-up when missing (local runs and tests).</summary>
    public bool CreateTableIfMissing { get; set; }

    [Required(ErrorMessage = "Store:PageTokenSigningKey is required (base64 of at least 32 random bytes).")]
    [Base64Key(32, ErrorMessage = "Store:PageTokenSigningKey must be base64 of at least 32 bytes.")]
    public string PageTokenSigningKey { get; set; } = "";

    /// <summary>
    /// One DynamoDB request. A request that has not answered by then is abandoned: a read is
    /// retried if the operation's budget still holds a whole attempt, a write answers that it may
    /// have been applied.
    /// </summary>
    [Range(100, 30_000, ErrorMessage = "Store:AttemptTimeoutMilliseconds must be between 100 and 30000.")]
    public int AttemptTimeoutMilliseconds { get; set; } = 1000;

    /// <summary>The whole of one store call against DynamoDB, its retries included.</summary>
    [Range(100, 60_000, ErrorMessage = "Store:OperationTimeoutMilliseconds must be between 100 and 60000.")]
    public int OperationTimeoutMilliseconds { get; set; } = 1500;

    /// <summary>Opening a connection to DynamoDB; a request whose connection fails was never sent.</summary>
    [Range(50, 10_000, ErrorMessage = "Store:ConnectTimeoutMilliseconds must be between 50 and 10000.")]
    public int ConnectTimeoutMilliseconds { get; set; } = 500;

    /// <summary>How often the background health probe describes the table.</summary>
    [Range(100, 300_000, ErrorMessage = "Store:HealthProbeIntervalMilliseconds must be between 100 and 300000.")]
    public int HealthProbeIntervalMilliseconds { get; set; } = 500;

    public TimeSpan AttemptTimeout => TimeSpan.FromMilliseconds(AttemptTimeoutMilliseconds);

    public TimeSpan OperationTimeout => TimeSpan.FromMilliseconds(OperationTimeoutMilliseconds);

    public TimeSpan ConnectTimeout => TimeSpan.FromMilliseconds(ConnectTimeoutMilliseconds);

    public TimeSpan HealthProbeInterval => TimeSpan.FromMilliseconds(HealthProbeIntervalMilliseconds);

    /// <summary>The timeouts nest: a connection inside an attempt, an attempt inside the operation.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ConnectTimeoutMilliseconds > AttemptTimeoutMilliseconds)
        {
            yield return new ValidationResult(
                "Store:ConnectTimeoutMilliseconds must not exceed Store:AttemptTimeoutMilliseconds.",
                [nameof(ConnectTimeoutMilliseconds)]);
        }

        if (AttemptTimeoutMilliseconds > OperationTimeoutMilliseconds)
        {
            yield return new ValidationResult(
                "Store:AttemptTimeoutMilliseconds must not exceed Store:OperationTimeoutMilliseconds.",
                [nameof(AttemptTimeoutMilliseconds)]);
        }
    }

    public byte[] PageTokenSigningKeyBytes() => Convert.FromBase64String(PageTokenSigningKey);
}
