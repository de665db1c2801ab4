using System.Net.Http.Headers;
using System.Text;

namespace CanaryDemo.Testing.Http;

/// <summary>Builds raw HTTP requests, so tests control every header and byte of the body.</summary>
public static class RawRequests
{
    public static HttpRequestMessage Create(HttpMethod method, string path, long? tenantId, string? json = null, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(method, path);
        if (tenantId is { } tenant)
        {
            request.Headers.TryAddWithoutValidation("X-Tenant-ID", tenant.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return request;
    }

    public static HttpRequestMessage WithHeader(this HttpRequestMessage request, string name, string value)
    {
        request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    public const string ValidCreateBody =
        """{"name":"Wireless Headphones","description":"Premium noise-canceling headphones","price":299.99,"category":"electronics","status":"active","sku":"WH-001","inventory_count":150,"tags":["wireless","noise-canceling","premium"]}""";

    public const string ValidUpdateBody =
        """{"name":"Wireless Headphones","description":"Premium","price":249.50,"category":"electronics","status":"out_of_stock","sku":"WH-001","tags":["wireless"]}""";

    public const string ItemId = "0190b3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b";
}
