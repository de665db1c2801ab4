using System.Net;
using System.Text.Json;

namespace CanaryDemo.EndToEnd.Tests.Infrastructure;

/// <summary>Calls the tests make to set up their data, each checked for success.</summary>
internal static class ApiCalls
{
    public static async Task<JsonElement> CreateItemAsync(
        this HttpClient client, long tenant, string json = RawRequests.ValidCreateBody, string? idempotencyKey = null)
    {
        using var request = RawRequests.Create(HttpMethod.Post, "/api/v1/items", tenant, json);
        if (idempotencyKey is not null)
        {
            request.WithHeader("Idempotency-Key", idempotencyKey);
        }

        using var response = await client.SendAsync(request);
        return await ReadJsonAsync(response, HttpStatusCode.Created);
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path, long tenant)
    {
        using var response = await client.SendAsync(RawRequests.Create(HttpMethod.Get, path, tenant));
        return await ReadJsonAsync(response, HttpStatusCode.OK);
    }

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected} but got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static string[] PropertyNames(this JsonElement element) =>
        [.. element.EnumerateObject().Select(property => property.Name).Order(StringComparer.Ordinal)];
}
