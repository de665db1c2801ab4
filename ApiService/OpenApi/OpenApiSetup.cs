namespace CanaryDemo.ApiService.OpenApi;

internal static class OpenApiSetup
{
    public static IServiceCollection AddApiOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options => options
            .AddDocumentTransformer(DocumentDescription.Describe)
            .AddDocumentTransformer(CallerDocumentation.DescribeScheme)
            // The caller's answers (401/403 in Jwt mode) first, so the response headers are added to them too.
            .AddOperationTransformer(CallerDocumentation.Describe)
            .AddOperationTransformer(HeaderDocumentation.Describe)
            .AddSchemaTransformer(SchemaDescriptions.Describe));

    /// <summary><c>/openapi/v1.json</c> always; the API reference (<see cref="ApiReferencePage"/>) in Development only.</summary>
    public static WebApplication MapApiOpenApi(this WebApplication app)
    {
        app.MapOpenApi();
        if (app.Environment.IsDevelopment())
        {
            app.MapApiReferencePage();
        }

        return app;
    }
}
