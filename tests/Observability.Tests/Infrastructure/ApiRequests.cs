using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace CanaryDemo.Observability.Tests.Infrastructure;

/// <summary>Requests to the api-service, with the headers these tests vary.</summary>
internal static class ApiRequests
{
    public const string NewItemBody =
        """{"name":"Wireless Headphones","price":299.99,"category":"electronics","sku":"WH-001","inventory_count":5,"tags":["wireless"]}""";

    public static HttpRequestMessage Create(HttpMethod method, string path, long tenant, string? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Tenant-ID", tenant.ToString(CultureInfo.InvariantCulture));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        return request;
    }

    /// <summary>Sets <c>X-Canary</c> as given (null: no header), valid or not.</summary>
    public static HttpRequestMessage WithCanary(this HttpRequestMessage request, string? canary)
    {
        if (canary is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Canary", canary);
        }

        return request;
    }

    /// <summary>Makes the request part of a new sampled trace, as an instrumented caller would; returns its trace id.</summary>
    public static string StartTrace(this HttpRequestMessage request, out string callerSpanId)
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        callerSpanId = ActivitySpanId.CreateRandom().ToHexString();
        request.Headers.Add("traceparent", $"00-{traceId}-{callerSpanId}-01");
        return traceId;
    }

    /// <summary>Creates an item (5 in stock) for the tenant and returns its id.</summary>
    public static async Task<string> CreateItemAsync(this HttpClient client, long tenant, string? canary = null)
    {
        using var response = await client.SendAsync(Create(HttpMethod.Post, "/api/v1/items", tenant, NewItemBody).WithCanary(canary));
        response.EnsureSuccessStatusCode();
        using var item = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return item.RootElement.GetProperty("id").GetString()!;
    }
}
