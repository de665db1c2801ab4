using System.ComponentModel.DataAnnotations;

namespace CanaryDemo.StoreService.Configuration;

/// <summary>The <c>Store</c> configuration section (env vars: <c>Store__TableName</c>, ...).</summary>
internal sealed class StoreOptions
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

    /// <summary>Upper bound for one store operation against DynamoDB, SDK retries included.</summary>
    [Range(1, 30, ErrorMessage = "Store:RequestTimeoutSeconds must be between 1 and 30.")]
    public int RequestTimeoutSeconds { get; set; } = 3;

    /// <summary>How often the background health probe checks the table.</summary>
    [Range(1, 300, ErrorMessage = "Store:HealthProbeIntervalSeconds must be between 1 and 300.")]
    public int HealthProbeIntervalSeconds { get; set; } = 5;

    public TimeSpan RequestTimeout => TimeSpan.FromSeconds(RequestTimeoutSeconds);

    public byte[] PageTokenSigningKeyBytes() => Convert.FromBase64String(PageTokenSigningKey);
}
