using Scalar.AspNetCore;

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

    /// <summary>
    /// The Scalar UI's script, the version Scalar.AspNetCore embeds, from the CDN Scalar documents.
    /// Every replica would otherwise carry the 1.4 MB embedded copy for a page that only Development
    /// serves (ILLink.Substitutions.xml leaves it out of the Native AOT binary).
    /// </summary>
    private const string ScalarScript = "https://cdn.jsdelivr.net/npm/@scalar/api-reference@1.77.0";

    /// <summary><c>/openapi/v1.json</c> always; the Scalar UI at <c>/scalar</c> in Development only.</summary>
    public static WebApplication MapApiOpenApi(this WebApplication app)
    {
        app.MapOpenApi();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference(scalar => scalar.WithBundleUrl(ScalarScript));
        }

        return app;
    }
}
