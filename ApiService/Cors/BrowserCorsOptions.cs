using Microsoft.Extensions.Options;

namespace CanaryDemo.ApiService.Cors;

/// <summary>Configuration section <c>Cors</c>: the browser origins allowed to call the API.</summary>
internal sealed class BrowserCorsOptions
{
    public const string SectionName = "Cors";

    /// <summary>Origins such as <c>https://app.example.com</c> (scheme, host and optional port only).</summary>
    public string[] AllowedOrigins { get; set; } = [];
}

/// <summary>Refuses at start-up an origin that could never match a browser's Origin header.</summary>
internal sealed class BrowserCorsOptionsValidator : IValidateOptions<BrowserCorsOptions>
{
    public ValidateOptionsResult Validate(string? name, BrowserCorsOptions options)
    {
        var invalid = options.AllowedOrigins.Where(origin => !IsOrigin(origin)).ToArray();
        return invalid.Length == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Cors:AllowedOrigins must be origins like https://app.example.com; invalid: {string.Join(", ", invalid)}");
    }

    private static bool IsOrigin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https"
        && uri.AbsolutePath == "/"
        && !value.EndsWith('/')
        && string.IsNullOrEmpty(uri.Query)
        && string.IsNullOrEmpty(uri.Fragment)
        && string.IsNullOrEmpty(uri.UserInfo);
}
