using CanaryDemo.ApiService.Auth;
using CanaryDemo.ApiService.Problems;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Net.Http.Headers;

namespace CanaryDemo.ApiService.Requests;

/// <summary>Marks endpoints that need a <see cref="RequestCaller"/> (every <c>/api/v1</c> endpoint).</summary>
internal sealed class RequiresCallerMetadata
{
    public static readonly RequiresCallerMetadata Instance = new();
}

/// <summary>
/// Establishes the <see cref="RequestCaller"/> after routing and before model binding, so a request
/// without a valid caller is refused before its body is even read. <c>Header</c> mode checks
/// <c>X-Tenant-ID</c>/<c>X-User-ID</c> (400); <c>Jwt</c> mode requires a valid bearer token with a
/// tenant and a user claim (401) and a <c>X-Tenant-ID</c>, if sent, naming the same tenant (403).
/// </summary>
internal sealed partial class CallerHeadersMiddleware(
    RequestDelegate next, IProblemDetailsService problemDetails, IOptions<AuthOptions> auth, ILogger<CallerHeadersMiddleware> logger)
{
    private readonly AuthMode _mode = auth.Value.ParsedMode;
    private readonly JwtAuthOptions _jwt = auth.Value.Jwt;

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<RequiresCallerMetadata>() is null)
        {
            await next(context);
            return;
        }

        var caller = _mode == AuthMode.Jwt ? await FromBearerTokenAsync(context) : await FromHeadersAsync(context);
        if (caller is null)
        {
            return;
        }

        context.Features.Set(caller);
        await next(context);
    }

    private async Task<RequestCaller?> FromHeadersAsync(HttpContext context)
    {
        var errors = new FieldErrors();
        var caller = RequestCaller.Parse(context.Request.Headers[RequestHeaders.TenantId], context.Request.Headers[RequestHeaders.UserId], errors);
        if (caller is null)
        {
            await problemDetails.WriteAsync(context, ApiProblems.Validation(errors));
        }

        return caller;
    }

    /// <summary><c>X-User-ID</c> is ignored here: the user is whoever the token names.</summary>
    private async Task<RequestCaller?> FromBearerTokenAsync(HttpContext context)
    {
        var authentication = await context.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
        if (authentication.Failure is SecurityTokenSignatureKeyNotFoundException && await SigningKeysUnavailableAsync(context))
        {
            // Not the token's fault: it may be fine, so this is no 401.
            await problemDetails.WriteAsync(context, ApiProblems.AuthenticationUnavailable());
            return null;
        }

        if (!authentication.Succeeded)
        {
            // The handler answers 401 with WWW-Authenticate (error="invalid_token" and why, for a bad token).
            await context.ChallengeAsync(JwtBearerDefaults.AuthenticationScheme);
            await problemDetails.WriteAsync(context, ApiProblems.Unauthenticated(authentication.None
                ? "The request has no bearer token."
                : "The bearer token is not valid (see WWW-Authenticate)."));
            return null;
        }

        var caller = RequestCaller.FromClaims(authentication.Principal, _jwt.TenantClaim, _jwt.UserClaim);
        if (caller is null)
        {
            var description = $"The token must carry one positive integer {_jwt.TenantClaim} claim and one {_jwt.UserClaim} claim.";
            context.Response.Headers.WWWAuthenticate = BearerChallenge("invalid_token", description);
            await problemDetails.WriteAsync(context, ApiProblems.Unauthenticated(description));
            return null;
        }

        var errors = new FieldErrors();
        var headerTenant = RequestCaller.ParseTenantHeader(context.Request.Headers[RequestHeaders.TenantId], errors, required: false);
        if (!errors.IsEmpty)
        {
            await problemDetails.WriteAsync(context, ApiProblems.Validation(errors));
            return null;
        }

        if (headerTenant is { } tenant && tenant != caller.TenantId)
        {
            // RFC 6750 §3.1: a valid token without the rights for this request.
            context.Response.Headers.WWWAuthenticate = BearerChallenge("insufficient_scope", "The token is not valid for the tenant in X-Tenant-ID.");
            await problemDetails.WriteAsync(context, ApiProblems.TenantMismatch());
            return null;
        }

        return caller;
    }

    /// <summary>
    /// Whether a token found no key because the identity provider's keys could not be fetched
    /// (discovery failing: IdentityModel then validates against no keys at all) rather than because
    /// it was signed with a key the provider does not publish.
    /// </summary>
    private async Task<bool> SigningKeysUnavailableAsync(HttpContext context)
    {
        if (!_jwt.UsesDiscovery)
        {
            return false;
        }

        var bearer = context.RequestServices.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);
        try
        {
            await bearer.ConfigurationManager!.GetConfigurationAsync(context.RequestAborted);
            return false;
        }
        catch (InvalidOperationException exception)
        {
            LogKeysUnavailable(logger, exception);
            return true;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bearer tokens cannot be validated: the identity provider's signing keys are unavailable")]
    private static partial void LogKeysUnavailable(ILogger logger, Exception exception);

    private static string BearerChallenge(string error, string description) =>
        $"{JwtBearerDefaults.AuthenticationScheme} error=\"{error}\", error_description=\"{description}\"";
}

internal static class CallerHeadersExtensions
{
    public static TBuilder RequireCaller<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(RequiresCallerMetadata.Instance);
}
