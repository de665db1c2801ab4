using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace CanaryDemo.ApiService.Auth;

internal static class AuthRegistration
{
    /// <summary>
    /// Asymmetric signatures only: a key set is published to every client, so an HMAC key in it
    /// would let anyone sign tokens. An unsigned token (<c>alg: none</c>) is refused anyway.
    /// </summary>
    private static readonly string[] SignatureAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    /// <summary>
    /// Binds and validates <see cref="AuthOptions"/>; in <c>Jwt</c> mode also registers the JWT bearer
    /// handler (the JsonWebTokenHandler underneath is trimming- and AOT-safe).
    /// </summary>
    public static IServiceCollection AddApiAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(AuthOptions.SectionName);
        services.AddOptions<AuthOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsAttributesValidator>();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        if (!IsJwtMode(section))
        {
            return services;
        }

        // What AddAuthentication registers, without Data Protection: that is for cookies and remote
        // sign-in, which bearer tokens never use, and it brings System.Xml into the binary with it.
        services.AddAuthenticationCore(authentication => authentication.DefaultScheme = JwtBearerDefaults.AuthenticationScheme);
        services.AddWebEncoders();
        services.TryAddSingleton<IAuthenticationConfigurationProvider>(new AuthenticationSection(configuration));
        new AuthenticationBuilder(services).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((bearer, auth) => ConfigureBearer(bearer, auth.Value.Jwt));
        return services;
    }

    /// <summary>Authenticates bearer tokens in <c>Jwt</c> mode; the caller middleware decides what a failure means.</summary>
    public static WebApplication UseApiAuthentication(this WebApplication app)
    {
        if (IsJwtMode(app.Configuration.GetSection(AuthOptions.SectionName)))
        {
            app.UseAuthentication();
        }

        return app;
    }

    private static bool IsJwtMode(IConfigurationSection section) =>
        string.Equals(section[nameof(AuthOptions.Mode)], nameof(AuthMode.Jwt), StringComparison.OrdinalIgnoreCase);

    private static void ConfigureBearer(JwtBearerOptions bearer, JwtAuthOptions jwt)
    {
        // Claims keep their names as issued ("sub" stays "sub").
        bearer.MapInboundClaims = false;
        bearer.Authority = NullIfEmpty(jwt.Authority);
        bearer.MetadataAddress = NullIfEmpty(jwt.MetadataAddress)!;
        bearer.RequireHttpsMetadata = jwt.RequireHttpsMetadata;
        bearer.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = jwt.Issuer,
            ValidAudience = jwt.Audience,
            IssuerSigningKeys = string.IsNullOrEmpty(jwt.SigningKeys) ? null : new JsonWebKeySet(jwt.SigningKeys).GetSigningKeys(),
            ValidAlgorithms = SignatureAlgorithms,
            ClockSkew = jwt.ClockSkew,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            NameClaimType = jwt.UserClaim,
        };
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>The <c>Authentication</c> section, where the bearer handler reads scheme settings, as AddAuthentication provides it.</summary>
    private sealed class AuthenticationSection(IConfiguration configuration) : IAuthenticationConfigurationProvider
    {
        public IConfiguration AuthenticationConfiguration { get; } = configuration.GetSection("Authentication");
    }
}
