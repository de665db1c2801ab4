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
    private WebApplication? _identityProvider;
    private StoreDoubleHost? _store;
    private ApiHost? _api;
    private string _issuer = "";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _identityProvider = builder.Build();
        _identityProvider.MapGet("/.well-known/openid-configuration", () =>
            Results.Text($$"""{"issuer":"{{_issuer}}","jwks_uri":"{{_issuer}}/keys"}""", "application/json"));
        _identityProvider.MapGet("/keys", () => Results.Text(_tokens.PublicKeySet(), "application/json"));
        await _identityProvider.StartAsync();
        _issuer = _identityProvider.Urls.Single();

        _store = await StoreDoubleHost.StartAsync();
        _api = await ApiHost.StartAsync(
            _store.Address,
            "--Auth:Mode=Jwt",
            $"--Auth:Jwt:Authority={_issuer}",
            $"--Auth:Jwt:Issuer={_issuer}",
            $"--Auth:Jwt:Audience={TestTokens.DefaultAudience}",
            "--Auth:Jwt:RequireHttpsMetadata=false");
    }

    public async Task DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        if (_identityProvider is not null)
        {
            await _identityProvider.DisposeAsync();
        }
    }

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

/// <summary>An identity provider that cannot be reached: tokens cannot be checked, which is the provider's fault, not the caller's.</summary>
public sealed class JwtDiscoveryOutageTests : IAsyncLifetime
{
    private readonly TestTokens _tokens = new();
    private readonly string _issuer = ServiceProcess.LoopbackUrl(FreePort.Next());
    private StoreDoubleHost? _store;
    private ApiHost? _api;

    public async Task InitializeAsync()
    {
        _store = await StoreDoubleHost.StartAsync();
        _api = await ApiHost.StartAsync(
            _store.Address,
            "--Auth:Mode=Jwt",
            $"--Auth:Jwt:Authority={_issuer}",
            $"--Auth:Jwt:Issuer={_issuer}",
            $"--Auth:Jwt:Audience={TestTokens.DefaultAudience}",
            "--Auth:Jwt:RequireHttpsMetadata=false");
    }

    public async Task DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

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
