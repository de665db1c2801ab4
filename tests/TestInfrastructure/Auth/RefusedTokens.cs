namespace CanaryDemo.Testing.Auth;

/// <summary>
/// Every way a request can fail authentication in <c>Jwt</c> mode, as a bearer token (or none) for
/// a tenant: the api must answer each with 401 and never reach the store.
/// </summary>
public static class RefusedTokens
{
    public static readonly IReadOnlyDictionary<string, Func<TestTokens, long, string?>> All = new Dictionary<string, Func<TestTokens, long, string?>>
    {
        ["no token"] = (_, _) => null,
        ["expired"] = (tokens, tenant) => tokens.Mint(tenant, shape: token =>
        {
            token.NotBefore = DateTime.UtcNow.AddHours(-2);
            token.Expires = DateTime.UtcNow.AddHours(-1);
        }),
        ["not yet valid"] = (tokens, tenant) => tokens.Mint(tenant, shape: token =>
        {
            token.NotBefore = DateTime.UtcNow.AddHours(1);
            token.Expires = DateTime.UtcNow.AddHours(2);
        }),
        ["wrong issuer"] = (tokens, tenant) => tokens.Mint(tenant, shape: token => token.Issuer = "https://attacker.example.test"),
        ["wrong audience"] = (tokens, tenant) => tokens.Mint(tenant, shape: token => token.Audience = "another-api"),
        ["wrong key"] = (tokens, tenant) => tokens.Mint(tenant, shape: token => token.SignWith = TokenShape.ForeignKey()),
        ["alg none"] = (tokens, tenant) => tokens.Mint(tenant, shape: token => token.Unsigned = true),
        ["not a JWT"] = (_, _) => "not-a-jwt",
        ["tenant claim missing"] = (tokens, tenant) => tokens.Mint(tenant, shape: token => token.Claims.Remove(TestTokens.TenantClaim)),
        ["tenant claim zero"] = (tokens, _) => tokens.Mint(0),
        ["tenant claim negative"] = (tokens, _) => tokens.Mint(-5),
        ["tenant claim not a number"] = (tokens, tenant) => tokens.Mint(tenant, shape: token => token.Claims[TestTokens.TenantClaim] = "acme"),
        ["tenant claim fractional"] = (tokens, tenant) => tokens.Mint(tenant, shape: token => token.Claims[TestTokens.TenantClaim] = 1.5),
        ["tenant claim beyond int64"] = (tokens, tenant) => tokens.Mint(tenant, shape: token => token.Claims[TestTokens.TenantClaim] = "9223372036854775808"),
        ["tenant claim twice"] = (tokens, tenant) => tokens.Mint(tenant, shape: token => token.Claims[TestTokens.TenantClaim] = new[] { tenant, tenant + 1 }),
        ["user claim missing"] = (tokens, tenant) => tokens.Mint(tenant, shape: token => token.Claims.Remove("sub")),
    };
}
