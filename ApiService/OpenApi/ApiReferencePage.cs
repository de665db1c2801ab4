namespace CanaryDemo.ApiService.OpenApi;

/// <summary>
/// The browsable API reference at <c>/scalar/</c>, Development only: Scalar's documented HTML/JS
/// integration (scalar.com, "Scalar API Reference with HTML/JS"), a page that loads the pinned
/// @scalar/api-reference script from jsDelivr and renders <c>/openapi/v1.json</c>. Scalar.AspNetCore
/// served the same page, but added 1.4 MiB to every replica's Native AOT binary (its own code and the
/// System.Text.Json code it brings in) for a page no deployed canary serves.
/// </summary>
internal static class ApiReferencePage
{
    /// <summary>The script's version, pinned so the page does not change under a running service.</summary>
    public const string ScriptUrl = "https://cdn.jsdelivr.net/npm/@scalar/api-reference@1.77.0";

    private const string Html = $$"""
        <!doctype html>
        <html lang="en">
          <head>
            <title>CanaryDemo items API</title>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
          </head>
          <body>
            <div id="app"></div>
            <script src="{{ScriptUrl}}"></script>
            <script>Scalar.createApiReference('#app', { url: '/openapi/v1.json' })</script>
          </body>
        </html>
        """;

    /// <summary><c>/scalar</c> and <c>/scalar/</c> (routing ignores a trailing slash); not part of the OpenAPI document.</summary>
    public static void MapApiReferencePage(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/scalar", () => TypedResults.Content(Html, "text/html; charset=utf-8")).ExcludeFromDescription();
}
