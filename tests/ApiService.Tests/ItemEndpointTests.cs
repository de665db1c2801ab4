using System.Net;
using System.Text.Json;
using CanaryDemo.ApiService.Tests.Infrastructure;
using CanaryDemo.Store.V1;

namespace CanaryDemo.ApiService.Tests;

/// <summary>Every items endpoint over HTTP against the store double: what is sent to the store and what comes back.</summary>
public sealed class ItemEndpointTests(ApiStack stack) : IClassFixture<ApiStack>
{
    private static readonly string[] ItemProperties =
    [
        "id", "tenant_id", "name", "description", "price", "category", "status", "sku", "inventory_count",
        "tags", "created_at", "updated_at", "created_by", "updated_by", "version",
    ];

    [Fact]
    public async Task Create_returns_201_with_location_etag_and_the_seed_json_shape()
    {
        var tenant = ApiStack.NewTenant();
        using var request = RawRequests.Create(HttpMethod.Post, "/api/v1/items", tenant, RawRequests.ValidCreateBody).WithHeader("X-User-ID", "user123");

        using var response = await stack.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/v1/items/{RawRequests.ItemId}", response.Headers.Location?.OriginalString);
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        Assert.False(response.Headers.ETag!.IsWeak);
        var json = await response.Content.ReadAsStringAsync();
        Assert.Equal(
            $$"""{"id":"{{RawRequests.ItemId}}","tenant_id":{{tenant}},"name":"Wireless Headphones","description":"Premium noise-canceling headphones","price":299.99,"category":"electronics","status":"active","sku":"WH-001","inventory_count":150,"tags":["wireless","noise-canceling","premium"],"created_at":"2024-01-15T10:30:00Z","updated_at":"2024-01-15T10:30:00Z","created_by":"user123","updated_by":"user123","version":1}""",
            json);
        Assert.Equal(ItemProperties, JsonDocument.Parse(json).RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Create_sends_the_store_exact_decimals_the_user_the_key_and_defaults()
    {
        var tenant = ApiStack.NewTenant();
        using var request = RawRequests.Create(HttpMethod.Post, "/api/v1/items", tenant, """{"name":"Pencil","price":0.10,"category":"books"}""")
            .WithHeader("X-User-ID", "clerk-7")
            .WithHeader("Idempotency-Key", "order-4711");

        using var response = await stack.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var sent = Assert.Single(stack.Store.CallsFor(tenant)).RequestAs<CreateItemRequest>();
        Assert.Equal(tenant, sent.TenantId);
        Assert.Equal(new DecimalValue { Units = 0, Nanos = 100_000_000 }, sent.Price);
        Assert.Equal(ItemCategory.Books, sent.Category);
        // No status goes as UNSPECIFIED: "active" is the store's default, not the api's.
        Assert.Equal(ItemStatus.Unspecified, sent.Status);
        Assert.Equal("clerk-7", sent.CreatedBy);
        Assert.Equal("order-4711", sent.IdempotencyKey);
        Assert.Equal(0, sent.InventoryCount);
        Assert.Empty(sent.Tags);
        Assert.Contains("\"price\":0.1,", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_returns_the_item_with_its_version_as_etag_and_enum_strings()
    {
        var tenant = ApiStack.NewTenant();
        using var request = RawRequests.Create(HttpMethod.Get, $"/api/v1/items/{RawRequests.ItemId.ToUpperInvariant()}", tenant);

        using var response = await stack.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"3\"", response.Headers.ETag?.Tag);
        var item = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("out_of_stock", item.GetProperty("status").GetString());
        Assert.Equal("electronics", item.GetProperty("category").GetString());
        Assert.Equal("299.99", item.GetProperty("price").GetRawText());
        Assert.Equal(3, item.GetProperty("version").GetInt64());
        // Ids reach the store as given: the store parses them (any case) and answers with its own form.
        Assert.Equal(RawRequests.ItemId.ToUpperInvariant(), Assert.Single(stack.Store.CallsFor(tenant)).RequestAs<GetItemRequest>().Id);
    }

    [Theory]
    [InlineData("\"3\"", 3L)]
    [InlineData("*", null)]
    [InlineData(null, null)]
    public async Task Put_replaces_the_item_and_passes_if_match_as_expected_version(string? ifMatch, long? expectedVersion)
    {
        var tenant = ApiStack.NewTenant();
        using var request = RawRequests.Create(HttpMethod.Put, $"/api/v1/items/{RawRequests.ItemId}", tenant, RawRequests.ValidUpdateBody).WithHeader("X-User-ID", "editor");
        if (ifMatch is not null)
        {
            request.WithHeader("If-Match", ifMatch);
        }

        using var response = await stack.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"4\"", response.Headers.ETag?.Tag);
        var sent = Assert.Single(stack.Store.CallsFor(tenant)).RequestAs<UpdateItemRequest>();
        Assert.Equal(expectedVersion is not null, sent.HasExpectedVersion);
        Assert.Equal(expectedVersion ?? 0, sent.ExpectedVersion);
        Assert.Equal(new DecimalValue { Units = 249, Nanos = 500_000_000 }, sent.Price);
        Assert.Equal(ItemStatus.OutOfStock, sent.Status);
        Assert.Equal("editor", sent.UpdatedBy);
        var item = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("249.5", item.GetProperty("price").GetRawText());
    }

    [Fact]
    public async Task Delete_returns_204_without_body_and_records_the_user()
    {
        var tenant = ApiStack.NewTenant();
        using var request = RawRequests.Create(HttpMethod.Delete, $"/api/v1/items/{RawRequests.ItemId}", tenant).WithHeader("X-User-ID", "admin");

        using var response = await stack.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        var sent = Assert.Single(stack.Store.CallsFor(tenant)).RequestAs<DeleteItemRequest>();
        Assert.Equal((tenant, RawRequests.ItemId, "admin"), (sent.TenantId, sent.Id, sent.UpdatedBy));
    }

    [Fact]
    public async Task List_passes_filters_and_paging_and_returns_items_with_next_page_token()
    {
        var tenant = ApiStack.NewTenant();
        using var request = RawRequests.Create(HttpMethod.Get, "/api/v1/items?category=electronics&status=out_of_stock&search=wire&page_size=5", tenant);

        using var response = await stack.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(stack.Store.CallsFor(tenant)).RequestAs<ListItemsRequest>();
        Assert.Equal((ItemCategory.Electronics, ItemStatus.OutOfStock, "wire", true, 5, ""), (sent.Category, sent.Status, sent.Search, sent.HasPageSize, sent.PageSize, sent.PageToken));
        var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["items", "next_page_token"], page.EnumerateObject().Select(p => p.Name));
        Assert.Equal(2, page.GetProperty("items").GetArrayLength());
        Assert.Equal(ItemProperties, page.GetProperty("items")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(StoreDouble.NextPageToken, page.GetProperty("next_page_token").GetString());
    }

    [Fact]
    public async Task List_without_filters_uses_store_defaults_and_the_last_page_has_a_null_token()
    {
        var tenant = ApiStack.NewTenant();
        using var request = RawRequests.Create(HttpMethod.Get, $"/api/v1/items?page_token={StoreDouble.NextPageToken}", tenant);

        using var response = await stack.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(stack.Store.CallsFor(tenant)).RequestAs<ListItemsRequest>();
        // No page_size is sent as absent (the store's default), never as an explicit 0.
        Assert.Equal((ItemCategory.Unspecified, ItemStatus.Unspecified, "", false, StoreDouble.NextPageToken), (sent.Category, sent.Status, sent.Search, sent.HasPageSize, sent.PageToken));
        var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next_page_token").ValueKind);
    }

    [Theory]
    [InlineData("""{"quantity_change":-5,"reason":"Sale completed","updated_by":"cashier123"}""", "cashier123")]
    [InlineData("""{"quantity_change":20,"reason":"Restock"}""", "manager")]
    public async Task Patch_inventory_returns_item_and_previous_count(string body, string expectedUpdatedBy)
    {
        var tenant = ApiStack.NewTenant();
        using var request = RawRequests.Create(HttpMethod.Patch, $"/api/v1/items/{RawRequests.ItemId}/inventory", tenant, body)
            .WithHeader("X-User-ID", "manager")
            .WithHeader("Idempotency-Key", "till-1-receipt-99");

        using var response = await stack.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(stack.Store.CallsFor(tenant)).RequestAs<UpdateInventoryRequest>();
        Assert.Equal(expectedUpdatedBy, sent.UpdatedBy);
        Assert.Equal("till-1-receipt-99", sent.IdempotencyKey);
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["item", "previous_count"], answer.EnumerateObject().Select(p => p.Name));
        Assert.Equal(150, answer.GetProperty("previous_count").GetInt64());
        Assert.Equal(150 + sent.QuantityChange, answer.GetProperty("item").GetProperty("inventory_count").GetInt64());
        Assert.Equal("\"4\"", response.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task Health_answers_like_the_seed_and_liveness_does_not_need_the_store()
    {
        using var health = await stack.Client.GetAsync("/health");
        using var live = await stack.Client.GetAsync("/healthz/live");
        using var ready = await stack.Client.GetAsync("/healthz/ready");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("""{"status":"healthy"}""", await health.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task OpenApi_document_describes_the_items_api_and_the_ui_is_development_only()
    {
        using var document = await stack.Client.GetAsync("/openapi/v1.json");
        using var ui = await stack.Client.GetAsync("/scalar/");

        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        var openApi = JsonDocument.Parse(await document.Content.ReadAsStringAsync()).RootElement;
        var paths = openApi.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Contains("/api/v1/items", paths);
        Assert.Contains("/api/v1/items/{id}/inventory", paths);
        var schemas = openApi.GetProperty("components").GetProperty("schemas");
        Assert.Equal("decimal", schemas.GetProperty("ItemResponse").GetProperty("properties").GetProperty("price").GetProperty("format").GetString());
        Assert.Equal(
            ["active", "inactive", "out_of_stock", "discontinued"],
            schemas.GetProperty("ItemStatus").GetProperty("enum").EnumerateArray().Select(value => value.GetString()));
        var listParameters = openApi.GetProperty("paths").GetProperty("/api/v1/items").GetProperty("get").GetProperty("parameters")
            .EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToArray();
        Assert.Contains("X-Tenant-ID", listParameters);
        Assert.Contains("page_size", listParameters);
        await ProblemAssert.IsProblemAsync(ui, HttpStatusCode.NotFound, "route-not-found");
    }

    [Fact]
    public async Task Unknown_route_and_wrong_method_are_problem_details()
    {
        using var unknown = await stack.Client.SendAsync(RawRequests.Create(HttpMethod.Get, "/api/v2/things", ApiStack.NewTenant()));
        using var wrongMethod = await stack.Client.SendAsync(RawRequests.Create(HttpMethod.Put, "/api/v1/items", ApiStack.NewTenant(), "{}"));

        await ProblemAssert.IsProblemAsync(unknown, HttpStatusCode.NotFound, "route-not-found");
        await ProblemAssert.IsProblemAsync(wrongMethod, HttpStatusCode.MethodNotAllowed, "method-not-allowed");
    }
}
