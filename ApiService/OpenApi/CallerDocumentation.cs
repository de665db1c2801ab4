using System.Globalization;
using CanaryDemo.ApiService.Auth;
using CanaryDemo.ApiService.Requests;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace CanaryDemo.ApiService.OpenApi;

/// <summary>
/// How a /api/v1 caller is established, which middleware does and parameter binding cannot show:
/// the tenant and user headers in <c>Header</c> mode; in <c>Jwt</c> mode the bearer scheme, the
/// optional tenant header and the 401/403 answers.
/// </summary>
internal static class CallerDocumentation
{
    private const string BearerScheme = "bearer";

    /// <summary>In <c>Jwt</c> mode the document names the bearer scheme its operations require.</summary>
    public static Task DescribeScheme(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        if (IsJwtMode(context.ApplicationServices))
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A JWT from the configured issuer for this API's audience; the tenant is one of its claims.",
            };
        }

        return Task.CompletedTask;
    }

    public static Task Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (!context.Description.ActionDescriptor.EndpointMetadata.OfType<RequiresCallerMetadata>().Any())
        {
            return Task.CompletedTask;
        }

        operation.Parameters ??= [];
        if (!IsJwtMode(context.ApplicationServices))
        {
            operation.Parameters.Add(OpenApiHeaders.Parameter(RequestHeaders.TenantId, required: true, "The calling tenant: a positive 64-bit integer.", pattern: "^[1-9][0-9]*$"));
            operation.Parameters.Add(OpenApiHeaders.Parameter(RequestHeaders.UserId, required: false, "The user recorded as created_by / updated_by: visible ASCII, no spaces."));
            return Task.CompletedTask;
        }

        operation.Parameters.Add(OpenApiHeaders.Parameter(RequestHeaders.TenantId, required: false, "Optional: must name the token's tenant, else 403.", pattern: "^[1-9][0-9]*$"));
        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] });
        operation.Responses ??= [];
        operation.Responses[StatusCodes.Status401Unauthorized.ToString(CultureInfo.InvariantCulture)] = new OpenApiResponse
        {
            Description = "No bearer token, or one that is not valid for this API.",
            Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["WWW-Authenticate"] = OpenApiHeaders.Response("`Bearer`, with `error` and `error_description` when a token was sent."),
            },
        };
        operation.Responses[StatusCodes.Status403Forbidden.ToString(CultureInfo.InvariantCulture)] =
            new OpenApiResponse { Description = "X-Tenant-ID names another tenant than the token." };
        return Task.CompletedTask;
    }

    private static bool IsJwtMode(IServiceProvider services) =>
        services.GetRequiredService<IOptions<AuthOptions>>().Value.ParsedMode == AuthMode.Jwt;
}
