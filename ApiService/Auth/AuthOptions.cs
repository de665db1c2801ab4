using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace CanaryDemo.ApiService.Auth;

/// <summary>
/// Configuration section <c>Auth</c>: where the caller's tenant comes from. <c>Header</c> trusts
/// <c>X-Tenant-ID</c>, which a gateway in front of the api sets after authenticating the caller;
/// <c>Jwt</c> takes the tenant from a bearer token the api validates itself (docs/security.md).
/// </summary>
internal sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary><c>Header</c> (the default) or <c>Jwt</c>; a string so that a typo is a validation failure, not a binder exception.</summary>
    public string Mode { get; set; } = nameof(AuthMode.Header);

    [ValidateObjectMembers]
    public JwtAuthOptions Jwt { get; set; } = new();

    /// <summary>The parsed <see cref="Mode"/>; only called once the options were validated.</summary>
    public AuthMode ParsedMode => Enum.Parse<AuthMode>(Mode, ignoreCase: true);
}

internal enum AuthMode
{
    Header,
    Jwt,
}

/// <summary>Configuration section <c>Auth:Jwt</c>, read in <c>Jwt</c> mode only.</summary>
internal sealed class JwtAuthOptions
{
    /// <summary>OIDC issuer whose discovery document (<c>/.well-known/openid-configuration</c>) names the signing keys.</summary>
    public string? Authority { get; set; }

    /// <summary>The discovery document's address, when it is not under <see cref="Authority"/>.</summary>
    public string? MetadataAddress { get; set; }

    /// <summary>Discovery over https only; off only for a local identity provider on loopback.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The <c>iss</c> every token must carry.</summary>
    public string? Issuer { get; set; }

    /// <summary>The <c>aud</c> every token must carry: this API.</summary>
    public string? Audience { get; set; }

    /// <summary>A JSON Web Key Set (<c>{"keys":[...]}</c>) of public keys, instead of discovery.</summary>
    public string? SigningKeys { get; set; }

    /// <summary>The claim holding the tenant, a positive 64-bit integer.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Auth:Jwt:TenantClaim must name a claim.")]
    public string TenantClaim { get; set; } = "tenant_id";

    /// <summary>The claim recorded as created_by/updated_by.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Auth:Jwt:UserClaim must name a claim.")]
    public string UserClaim { get; set; } = "sub";

    /// <summary>Tolerance for clocks that disagree on <c>exp</c> and <c>nbf</c>.</summary>
    [Range(0, 300, ErrorMessage = "Auth:Jwt:ClockSkewSeconds must be between 0 and 300.")]
    public int ClockSkewSeconds { get; set; } = 30;

    public TimeSpan ClockSkew => TimeSpan.FromSeconds(ClockSkewSeconds);

    public bool UsesDiscovery => !string.IsNullOrEmpty(Authority) || !string.IsNullOrEmpty(MetadataAddress);
}
