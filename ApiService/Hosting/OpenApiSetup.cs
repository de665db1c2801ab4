using System.Text.Json.Nodes;
using CanaryDemo.ApiService.Json;
using CanaryDemo.ApiService.Requests;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace CanaryDemo.ApiService.Hosting;

internal static class OpenApiSetup
{
    public static IServiceCollection AddApiOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options => options
            .AddSchemaTransformer(DescribeDecimalsAndEnums)
            .AddOperationTransformer(AddCallerHeaders));

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

    /// <summary>The caller headers are read by middleware, not by parameter binding, so they are added here.</summary>
    private static Task AddCallerHeaders(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<RequiresCallerMetadata>().Any())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(HeaderParameter(RequestHeaders.TenantId, required: true, "Tenant: a positive 64-bit integer."));
            operation.Parameters.Add(HeaderParameter(RequestHeaders.UserId, required: false, "User recorded as created_by/updated_by."));
        }

        return Task.CompletedTask;
    }

    private static OpenApiParameter HeaderParameter(string name, bool required, string description) => new()
    {
        Name = name,
        In = ParameterLocation.Header,
        Required = required,
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };
}
