using System.Net;
using CanaryDemo.ApiService.Tests.Infrastructure;
using CanaryDemo.Testing.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace CanaryDemo.ApiService.Tests;

/// <summary>
/// Signing keys from OIDC discovery (<c>Auth:Jwt:Authority</c>): an identity provider double on a
/// loopback port serves <c>/.well-known/openid-configuration</c> and its JWKS, and the api trusts
/// tokens signed with that key.
/// </summary>
public sealed class JwtDiscoveryTests : IAsyncLifetime
{
    private readonly TestTokens _tokens = new("discovered-key");
    private readonly ProcessGroup _hosts = new();
    private StoreDoubleHost? _store;
    private ApiHost? _api;
    private string _issuer = "";

    public Task InitializeAsync() => _hosts.StartAsync(async () =>
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var identityProvider = _hosts.Add(builder.Build());
        identityProvider.MapGet("/.well-known/openid-configuration", () =>
            Results.Text($$"""{"issuer":"{{_issuer}}","jwks_uri":"{{_issuer}}/keys"}""", "application/json"));
        identityProvider.MapGet("/keys", () => Results.Text(_tokens.PublicKeySet(), "application/json"));
        await identityProvider.StartAsync();
        _issuer = identityProvider.Urls.Single();

        _store = await _hosts.AddAsync(StoreDoubleHost.StartAsync());
        _api = await _hosts.AddAsync(JwtDiscovery.StartApiAsync(_store.Address, _issuer));
    });

    public async Task DisposeAsync() => await _hosts.DisposeAsync();

    [Fact]
    public async Task Tokens_signed_with_the_discovered_key_are_accepted_and_others_refused()
    {
        var tenant = ApiStack.NewTenant();
        using var valid = ItemEndpoints.Request("list").WithBearer(_tokens.Mint(tenant, shape: token => token.Issuer = _issuer));
        using var foreign = ItemEndpoints.Request("list").WithBearer(_tokens.Mint(tenant, shape: token =>
        {
            token.Issuer = _issuer;
            token.SignWith = TokenShape.ForeignKey();
        }));
        using var otherIssuer = ItemEndpoints.Request("list").WithBearer(_tokens.Mint(tenant));

        using var accepted = await _api!.Client.SendAsync(valid);
        using var refusedKey = await _api.Client.SendAsync(foreign);
        using var refusedIssuer = await _api.Client.SendAsync(otherIssuer);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        await ProblemAssert.IsProblemAsync(refusedKey, HttpStatusCode.Unauthorized, "unauthenticated");
        await ProblemAssert.IsProblemAsync(refusedIssuer, HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Single(_store!.Store.CallsFor(tenant));
    }
}

/// <summary>The api in <c>Jwt</c> mode with its signing keys from OIDC discovery at an issuer on plain-http loopback.</summary>
internal static class JwtDiscovery
{
    public static Task<ApiHost> StartApiAsync(string storeAddress, string issuer) => ApiHost.StartAsync(
        storeAddress,
        "--Auth:Mode=Jwt",
        $"--Auth:Jwt:Authority={issuer}",
        $"--Auth:Jwt:Issuer={issuer}",
        $"--Auth:Jwt:Audience={TestTokens.DefaultAudience}",
        "--Auth:Jwt:RequireHttpsMetadata=false");
}

/// <summary>An identity provider that cannot be reached: tokens cannot be checked, which is the provider's fault, not the caller's.</summary>
public sealed class JwtDiscoveryOutageTests : IAsyncLifetime
{
    private readonly TestTokens _tokens = new();
    private readonly string _issuer = ServiceProcess.LoopbackUrl(FreePort.Next());
    private readonly ProcessGroup _hosts = new();
    private StoreDoubleHost? _store;
    private ApiHost? _api;

    public Task InitializeAsync() => _hosts.StartAsync(async () =>
    {
        _store = await _hosts.AddAsync(StoreDoubleHost.StartAsync());
        _api = await _hosts.AddAsync(JwtDiscovery.StartApiAsync(_store.Address, _issuer));
    });

    public async Task DisposeAsync() => await _hosts.DisposeAsync();

    [Fact]
    public async Task A_token_is_answered_503_and_a_request_without_one_still_401()
    {
        var tenant = ApiStack.NewTenant();

        using var withToken = await _api!.Client.SendAsync(ItemEndpoints.Request("list").WithBearer(_tokens.Mint(tenant, shape: token => token.Issuer = _issuer)));
        using var withoutToken = await _api.Client.SendAsync(ItemEndpoints.Request("list"));

        await ProblemAssert.IsProblemAsync(withToken, HttpStatusCode.ServiceUnavailable, "authentication-unavailable");
        await ProblemAssert.IsProblemAsync(withoutToken, HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Empty(_store!.Store.Calls);
    }
}
