using System.Net;
using CanaryDemo.ApiService.OpenApi;
using CanaryDemo.ApiService.Tests.Infrastructure;

namespace CanaryDemo.ApiService.Tests;

/// <summary>The browsable API reference: served in Development only (production answers 404, see ItemEndpointTests).</summary>
public sealed class ApiReferencePageTests
{
    [Theory]
    [InlineData("/scalar/")]
    [InlineData("/scalar")]
    public async Task In_development_the_page_renders_the_served_document_with_the_pinned_script(string path)
    {
        await using var store = await StoreDoubleHost.StartAsync();
        await using var api = await ApiHost.StartAsync(store.Address, "--environment=Development");

        using var page = await api.Client.GetAsync(path);
        using var document = await api.Client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains($"""<script src="{ApiReferencePage.ScriptUrl}"></script>""", html);
        Assert.Contains("Scalar.createApiReference('#app', { url: '/openapi/v1.json' })", html);
        // The page is no operation of the API.
        Assert.DoesNotContain("/scalar", await document.Content.ReadAsStringAsync());
    }
}
