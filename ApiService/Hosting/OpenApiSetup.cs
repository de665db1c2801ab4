using System.Text.Json.Nodes;
using CanaryDemo.ApiService.Auth;
using CanaryDemo.ApiService.Json;
using CanaryDemo.ApiService.Requests;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace CanaryDemo.ApiService.Hosting;

internal static class OpenApiSetup
{
    private const string BearerScheme = "bearer";

    public static IServiceCollection AddApiOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options => options
            .AddSchemaTransformer(DescribeDecimalsAndEnums)
            .AddOperationTransformer(DescribeCaller)
            .AddDocumentTransformer(AddBearerScheme));

    /// <summary><c>/openapi/v1.json</c> always; the Scalar UI at <c>/scalar</c> in Development only.</summary>
    public static WebApplication MapApiOpenApi(this WebApplication app)
    {
        app.MapOpenApi();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference();
        }

        return app;
    }

    /// <summary>Prices are exact decimals (the default schema says double); enums list their names.</summary>
    private static Task DescribeDecimalsAndEnums(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
        if (type == typeof(decimal))
        {
            schema.Format = "decimal";
        }

        if (context.JsonTypeInfo.Options.GetTypeInfo(type).Converter is IEnumNameConverter names)
        {
            schema.Type = JsonSchemaType.String;
            schema.Enum = [.. names.Names.Select(name => (JsonNode)name)];
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// The caller is established by middleware, not by parameter binding, so it is described here:
    /// the tenant and user headers in <c>Header</c> mode; the bearer token and the optional tenant
    /// header in <c>Jwt</c> mode.
    /// </summary>
    private static Task DescribeCaller(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (!context.Description.ActionDescriptor.EndpointMetadata.OfType<RequiresCallerMetadata>().Any())
        {
            return Task.CompletedTask;
        }

        operation.Parameters ??= [];
        if (IsJwtMode(context.ApplicationServices))
        {
            operation.Parameters.Add(HeaderParameter(RequestHeaders.TenantId, required: false, "Optional: must name the token's tenant, else 403."));
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] });
            operation.Responses ??= [];
            operation.Responses[StatusCodes.Status401Unauthorized.ToString(System.Globalization.CultureInfo.InvariantCulture)] =
                new OpenApiResponse { Description = "No bearer token, or one that is not valid for this API." };
            operation.Responses[StatusCodes.Status403Forbidden.ToString(System.Globalization.CultureInfo.InvariantCulture)] =
                new OpenApiResponse { Description = "X-Tenant-ID names another tenant than the token." };
        }
        else
        {
            operation.Parameters.Add(HeaderParameter(RequestHeaders.TenantId, required: true, "Tenant: a positive 64-bit integer."));
            operation.Parameters.Add(HeaderParameter(RequestHeaders.UserId, required: false, "User recorded as created_by/updated_by."));
        }

        return Task.CompletedTask;
    }

    /// <summary>In <c>Jwt</c> mode the document names the bearer scheme its operations require.</summary>
    private static Task AddBearerScheme(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
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

    private static bool IsJwtMode(IServiceProvider services) =>
        services.GetRequiredService<IOptions<AuthOptions>>().Value.ParsedMode == AuthMode.Jwt;

    private static OpenApiParameter HeaderParameter(string name, bool required, string description) => new()
    {
        Name = name,
        In = ParameterLocation.Header,
        Required = required,
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };
}
