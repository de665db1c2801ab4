using CanaryDemo.ApiService.Requests;
using CanaryDemo.Shared.Canary;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace CanaryDemo.ApiService.Cors;

internal static class BrowserCorsRegistration
{
    /// <summary>
    /// The default CORS policy of the canary contract (docs/design.md): configured origins may send the canary,
    /// tenant, user, content-type, If-Match and Idempotency-Key headers and read X-Canary-Echo, X-Canary-Route and ETag.
    /// </summary>
    public static IServiceCollection AddBrowserCors(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BrowserCorsOptions>().Bind(configuration.GetSection(BrowserCorsOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BrowserCorsOptions>, BrowserCorsOptionsValidator>();
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<BrowserCorsOptions>>((cors, browser) =>
            cors.AddDefaultPolicy(policy => policy
                .WithOrigins(browser.Value.AllowedOrigins)
                .WithMethods(HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete)
                .WithHeaders(
                    CanaryHeaders.HttpHeader,
                    RequestHeaders.TenantId,
                    RequestHeaders.UserId,
                    HeaderNames.ContentType,
                    HeaderNames.IfMatch,
                    RequestHeaders.IdempotencyKey)
                .WithExposedHeaders(CanaryHeaders.EchoHeader, CanaryRoute.HttpHeader, HeaderNames.ETag)
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
        return services;
    }
}
