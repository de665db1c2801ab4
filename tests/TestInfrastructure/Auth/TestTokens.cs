using System.Security.Cryptography;
using System.Text.Json;
using CanaryDemo.AppHost;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CanaryDemo.Testing.Auth;

/// <summary>
/// A token issuer for tests: its own RSA key (published as a JWKS of the public key) and real
/// signed tokens minted with Microsoft.IdentityModel's JsonWebTokenHandler, including the bad ones
/// an API must refuse (expired, not yet valid, foreign issuer or audience, another key, unsigned).
/// </summary>
public sealed class TestTokens
{
    public const string DefaultIssuer = "https://issuer.canarydemo.test";
    public const string DefaultAudience = "canarydemo-api";
    public const string TenantClaim = "tenant_id";

    private static readonly JsonWebTokenHandler Handler = new();
    private readonly RsaSecurityKey _key;

    public TestTokens(string keyId = "test-key", string issuer = DefaultIssuer, string audience = DefaultAudience)
    {
        _key = new RsaSecurityKey(RSA.Create(2048)) { KeyId = keyId };
        Issuer = issuer;
        Audience = audience;
    }

    /// <summary>What an api needs to trust this issuer (the AppHost's <c>Stack:Jwt</c>).</summary>
    public JwtIssuer Trust() => new(Issuer, Audience, PublicKeySet());

    /// <summary>The <c>iss</c> of the tokens it mints.</summary>
    public string Issuer { get; }

    /// <summary>The <c>aud</c> of the tokens it mints.</summary>
    public string Audience { get; }

    /// <summary>The public key as a JSON Web Key Set, what <c>Auth:Jwt:SigningKeys</c> takes.</summary>
    public string PublicKeySet()
    {
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_key.Rsa.ExportParameters(false)) { KeyId = _key.KeyId });
        return JsonSerializer.Serialize(new { keys = new[] { new { kty = jwk.Kty, kid = jwk.Kid, use = "sig", alg = "RS256", n = jwk.N, e = jwk.E } } });
    }

    /// <summary>The settings that make an api trust this issuer.</summary>
    public IReadOnlyDictionary<string, string> ApiSettings(string separator = ":") => new Dictionary<string, string>
    {
        [$"Auth{separator}Mode"] = "Jwt",
        [$"Auth{separator}Jwt{separator}Issuer"] = Issuer,
        [$"Auth{separator}Jwt{separator}Audience"] = Audience,
        [$"Auth{separator}Jwt{separator}SigningKeys"] = PublicKeySet(),
    };

    /// <summary>A valid token for <paramref name="tenant"/> (a number claim) and <paramref name="user"/>, unless changed by <paramref name="shape"/>.</summary>
    public string Mint(long tenant, string user = "alice", Action<TokenShape>? shape = null)
    {
        var token = new TokenShape { Issuer = Issuer, Audience = Audience, Claims = { [TenantClaim] = tenant, ["sub"] = user } };
        shape?.Invoke(token);
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = token.Issuer,
            Audience = token.Audience,
            NotBefore = token.NotBefore,
            IssuedAt = token.NotBefore,
            Expires = token.Expires,
            Claims = token.Claims,
            SigningCredentials = token.Unsigned ? null : new SigningCredentials(token.SignWith ?? _key, SecurityAlgorithms.RsaSha256),
        };
        return Handler.CreateToken(descriptor);
    }
}

/// <summary>What a minted token says; a test changes what it needs.</summary>
public sealed class TokenShape
{
    public required string Issuer { get; set; }

    public required string Audience { get; set; }

    public DateTime NotBefore { get; set; } = DateTime.UtcNow.AddMinutes(-1);

    public DateTime Expires { get; set; } = DateTime.UtcNow.AddMinutes(10);

    /// <summary>Claims besides iss/aud/nbf/iat/exp; <c>tenant_id</c> and <c>sub</c> are set already.</summary>
    public Dictionary<string, object> Claims { get; } = [];

    /// <summary>Another key than the one the api trusts.</summary>
    public SecurityKey? SignWith { get; set; }

    /// <summary><c>alg: none</c>, no signature.</summary>
    public bool Unsigned { get; set; }

    public static SecurityKey ForeignKey() => new RsaSecurityKey(RSA.Create(2048)) { KeyId = "test-key" };
}
