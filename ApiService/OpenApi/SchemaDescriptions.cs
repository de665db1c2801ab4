using System.Text.Json.Nodes;
using CanaryDemo.ApiService.Health;
using CanaryDemo.ApiService.Items.Contracts;
using CanaryDemo.ApiService.Json;
using CanaryDemo.ApiService.Problems;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CanaryDemo.ApiService.OpenApi;

/// <summary>What the generated schemas cannot know: exact decimals, enum names, problem types and examples.</summary>
internal static class SchemaDescriptions
{
    private static readonly Dictionary<Type, string> Examples = new()
    {
        [typeof(CreateItemRequest)] =
            """{"name":"Wireless Headphones","description":"Premium noise-canceling headphones","price":299.99,"category":"electronics","status":"active","sku":"WH-001","inventory_count":150,"tags":["wireless","premium"]}""",
        [typeof(UpdateItemRequest)] =
            """{"name":"Wireless Headphones","description":"Premium noise-canceling headphones","price":249.5,"category":"electronics","status":"active","sku":"WH-001","tags":["wireless","premium"]}""",
        [typeof(InventoryChangeRequest)] = """{"quantity_change":-2,"reason":"sale","updated_by":"till-7"}""",
        [typeof(ItemResponse)] = ItemExample,
        [typeof(ItemPage)] = $$"""{"items":[{{ItemExample}}],"next_page_token":"AQAAAABnk3x2AAAAAAAAAAE"}""",
        [typeof(InventoryChangeResponse)] = $$"""{"item":{{ItemExample}},"previous_count":152}""",
        [typeof(HealthStatus)] = """{"status":"healthy"}""",
    };

    private const string ItemExample =
        """{"id":"0190b3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b","tenant_id":1,"name":"Wireless Headphones","description":"Premium noise-canceling headphones","price":299.99,"category":"electronics","status":"active","sku":"WH-001","inventory_count":150,"tags":["wireless","premium"],"created_at":"2026-01-15T10:30:00.000000Z","updated_at":"2026-01-15T10:30:00.000000Z","created_by":"user123","updated_by":"user123","version":1}""";

    public static Task Describe(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
        if (type == typeof(decimal))
        {
            // Prices are read by ExactDecimalConverter, which leaves the schema untyped: they are
            // JSON numbers, exact decimals refused rather than rounded.
            schema.Type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) is null
                ? JsonSchemaType.Number
                : JsonSchemaType.Number | JsonSchemaType.Null;
            schema.Format = "decimal";
        }

        if (context.JsonTypeInfo.Options.GetTypeInfo(type).Converter is IEnumNameConverter names)
        {
            schema.Type = JsonSchemaType.String;
            schema.Enum = [.. names.Names.Select(name => (JsonNode)name)];
        }

        if (Examples.TryGetValue(type, out var example))
        {
            schema.Examples = [JsonNode.Parse(example)!];
        }

        if (typeof(ProblemDetails).IsAssignableFrom(type) && schema.Properties is { } properties)
        {
            DescribeProblem(schema, properties);
        }

        return Task.CompletedTask;
    }

    private static void DescribeProblem(OpenApiSchema schema, IDictionary<string, IOpenApiSchema> properties)
    {
        schema.Description = "An RFC 9457 problem: `type` names the kind of error, stable and documented; nothing internal is ever in it.";
        if (properties.TryGetValue("type", out var problemType) && problemType is OpenApiSchema typeSchema)
        {
            typeSchema.Description = "The kind of error: one of " + string.Join(", ", ProblemTypes.All) +
                ", or about:blank for an HTTP status with no kind of this API.";
        }

        properties["trace_id"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "The W3C trace id of the request, to find its logs and spans.",
        };
    }
}
