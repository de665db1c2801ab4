namespace CanaryDemo.Testing.Http;

/// <summary>One valid request to each <c>/api/v1</c> endpoint, without caller headers, for tests that go through all of them.</summary>
public static class ItemEndpoints
{
    public static readonly string[] Names = ["create", "get", "replace", "delete", "list", "inventory"];

    public static HttpRequestMessage Request(string endpoint, string itemId = RawRequests.ItemId) => endpoint switch
    {
        "create" => RawRequests.Create(HttpMethod.Post, "/api/v1/items", null, RawRequests.ValidCreateBody),
        "get" => RawRequests.Create(HttpMethod.Get, $"/api/v1/items/{itemId}", null),
        "replace" => RawRequests.Create(HttpMethod.Put, $"/api/v1/items/{itemId}", null, RawRequests.ValidUpdateBody),
        "delete" => RawRequests.Create(HttpMethod.Delete, $"/api/v1/items/{itemId}", null),
        "list" => RawRequests.Create(HttpMethod.Get, "/api/v1/items?category=electronics", null),
        "inventory" => RawRequests.Create(HttpMethod.Patch, $"/api/v1/items/{itemId}/inventory", null, """{"quantity_change":5,"reason":"restock"}"""),
        _ => throw new ArgumentOutOfRangeException(nameof(endpoint), endpoint, "unknown endpoint"),
    };

    public static HttpRequestMessage WithBearer(this HttpRequestMessage request, string token) =>
        request.WithHeader("Authorization", $"Bearer {token}");
}
