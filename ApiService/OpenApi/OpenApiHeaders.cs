using Microsoft.OpenApi;

namespace CanaryDemo.ApiService.OpenApi;

/// <summary>The one shape of a documented header: a string, with a pattern where the value has one.</summary>
internal static class OpenApiHeaders
{
    public static OpenApiParameter Parameter(string name, bool required, string description, string? pattern = null) => new()
    {
        Name = name,
        In = ParameterLocation.Header,
        Required = required,
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = pattern },
    };

    public static OpenApiHeader Response(string description, string? pattern = null) => new()
    {
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = pattern },
    };
}
