using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace CanaryDemo.ApiService.Auth;

/// <summary>Source-generated (reflection-free) validation of the members' attributes.</summary>
[OptionsValidator]
internal sealed partial class AuthOptionsAttributesValidator : IValidateOptions<AuthOptions>;

/// <summary>
/// The rules that span several keys: a known mode, and in <c>Jwt</c> mode an audience, an issuer,
/// and exactly one source of signing keys (discovery or a key set of public keys).
/// </summary>
internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        // Names only: Enum.TryParse would also take "1" for Jwt, which the registration would not.
        if (!Enum.GetNames<AuthMode>().Contains(options.Mode, StringComparer.OrdinalIgnoreCase))
        {
            return ValidateOptionsResult.Fail($"Auth:Mode must be Header or Jwt, not '{options.Mode}'.");
        }

        if (options.ParsedMode != AuthMode.Jwt)
        {
            return ValidateOptionsResult.Success;
        }

        var jwt = options.Jwt;
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(jwt.Audience))
        {
            failures.Add("Auth:Jwt:Audience is required in Jwt mode (the aud of this API's tokens).");
        }

        if (string.IsNullOrWhiteSpace(jwt.Issuer))
        {
            failures.Add("Auth:Jwt:Issuer is required in Jwt mode (the iss of this API's tokens).");
        }

        if (jwt.UsesDiscovery == !string.IsNullOrEmpty(jwt.SigningKeys))
        {
            failures.Add("Auth:Jwt needs exactly one source of signing keys: Authority/MetadataAddress (OIDC discovery) or SigningKeys (a JWKS).");
        }

        failures.AddRange(CheckDiscoveryAddress("Auth:Jwt:Authority", jwt.Authority, jwt.RequireHttpsMetadata));
        failures.AddRange(CheckDiscoveryAddress("Auth:Jwt:MetadataAddress", jwt.MetadataAddress, jwt.RequireHttpsMetadata));
        if (!string.IsNullOrEmpty(jwt.SigningKeys) && CheckKeySet(jwt.SigningKeys) is { } keySetFailure)
        {
            failures.Add(keySetFailure);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static IEnumerable<string> CheckDiscoveryAddress(string key, string? value, bool requireHttps)
    {
        if (string.IsNullOrEmpty(value))
        {
            yield break;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            yield return $"{key} must be an absolute https URL.";
        }
        else if (requireHttps && uri.Scheme != Uri.UriSchemeHttps)
        {
            yield return $"{key} must use https (Auth:Jwt:RequireHttpsMetadata=false allows http, for a local identity provider only).";
        }
    }

    /// <summary>The key set must parse, hold at least one key, and hold no private key: it is configuration, not a secret.</summary>
    private static string? CheckKeySet(string json)
    {
        JsonWebKeySet keySet;
        try
        {
            keySet = new JsonWebKeySet(json);
        }
        catch (ArgumentException)
        {
            return "Auth:Jwt:SigningKeys must be a JSON Web Key Set ({\"keys\":[...]}).";
        }

        if (keySet.Keys.Count == 0)
        {
            return "Auth:Jwt:SigningKeys holds no key.";
        }

        return keySet.Keys.Any(key => key.HasPrivateKey)
            ? "Auth:Jwt:SigningKeys must hold public keys only (a private key was found)."
            : null;
    }
}
