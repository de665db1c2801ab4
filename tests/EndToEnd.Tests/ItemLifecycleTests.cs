using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CanaryDemo.EndToEnd.Tests.Infrastructure;

namespace CanaryDemo.EndToEnd.Tests;

/// <summary>An item from creation to soft delete through the REST API, in exactly the documented JSON shape.</summary>
[Collection(StackCollection.Name)]
public sealed class ItemLifecycleTests(StackFixture stack)
{
    private static readonly string[] ItemProperties =
    [
        "category", "created_at", "created_by", "description", "id", "inventory_count", "name", "price",
        "sku", "status", "tags", "tenant_id", "updated_at", "updated_by", "version",
    ];

    [Fact]
    [Trait("Category", "Smoke")]
    public async Task An_item_is_created_read_replaced_listed_sold_and_discontinued()
    {
        var tenant = stack.NewTenant();

        // Create
        using var create = RawRequests.Create(HttpMethod.Post, "/api/v1/items", tenant, RawRequests.ValidCreateBody).WithHeader("X-User-ID", "alice");
        using var created = await stack.Client.SendAsync(create);
        var item = await ApiCalls.ReadJsonAsync(created, HttpStatusCode.Created);
        var id = item.GetProperty("id").GetString()!;
        Assert.Equal(ItemProperties, item.PropertyNames());
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", id);
        Assert.Equal($"/api/v1/items/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal("\"1\"", created.Headers.ETag?.ToString());
        Assert.Equal(tenant, item.GetProperty("tenant_id").GetInt64());
        Assert.Equal("Wireless Headphones", item.GetProperty("name").GetString());
        Assert.Equal("Premium noise-canceling headphones", item.GetProperty("description").GetString());
        Assert.Equal("299.99", item.GetProperty("price").GetRawText());
        Assert.Equal("electronics", item.GetProperty("category").GetString());
        Assert.Equal("active", item.GetProperty("status").GetString());
        Assert.Equal("WH-001", item.GetProperty("sku").GetString());
        Assert.Equal(150, item.GetProperty("inventory_count").GetInt64());
        Assert.Equal(["wireless", "noise-canceling", "premium"], item.GetProperty("tags").EnumerateArray().Select(tag => tag.GetString()));
        Assert.Equal("alice", item.GetProperty("created_by").GetString());
        Assert.Equal("alice", item.GetProperty("updated_by").GetString());
        Assert.Equal(1, item.GetProperty("version").GetInt64());
        var createdAt = Rfc3339Utc(item.GetProperty("created_at"));
        Assert.Equal(createdAt, Rfc3339Utc(item.GetProperty("updated_at")));
        Assert.InRange(createdAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));

        // Read
        using (var read = await stack.Client.SendAsync(RawRequests.Create(HttpMethod.Get, $"/api/v1/items/{id}", tenant)))
        {
            Assert.Equal("\"1\"", read.Headers.ETag?.ToString());
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(item.GetRawText()), JsonNode.Parse((await ApiCalls.ReadJsonAsync(read, HttpStatusCode.OK)).GetRawText())));
        }

        // Replace, honouring If-Match; a stale version is refused
        using var update = RawRequests.Create(HttpMethod.Put, $"/api/v1/items/{id}", tenant, RawRequests.ValidUpdateBody)
            .WithHeader("If-Match", "\"1\"").WithHeader("X-User-ID", "bob");
        using var updated = await stack.Client.SendAsync(update);
        var replaced = await ApiCalls.ReadJsonAsync(updated, HttpStatusCode.OK);
        Assert.Equal(ItemProperties, replaced.PropertyNames());
        Assert.Equal("\"2\"", updated.Headers.ETag?.ToString());
        Assert.Equal(2, replaced.GetProperty("version").GetInt64());
        Assert.Equal(249.50m, replaced.GetProperty("price").GetDecimal());
        Assert.Equal("out_of_stock", replaced.GetProperty("status").GetString());
        Assert.Equal("Premium", replaced.GetProperty("description").GetString());
        Assert.Equal(["wireless"], replaced.GetProperty("tags").EnumerateArray().Select(tag => tag.GetString()));
        Assert.Equal(150, replaced.GetProperty("inventory_count").GetInt64());
        Assert.Equal("alice", replaced.GetProperty("created_by").GetString());
        Assert.Equal("bob", replaced.GetProperty("updated_by").GetString());
        Assert.Equal(createdAt, Rfc3339Utc(replaced.GetProperty("created_at")));
        Assert.True(Rfc3339Utc(replaced.GetProperty("updated_at")) >= createdAt);
        using (var stale = await stack.Client.SendAsync(RawRequests.Create(HttpMethod.Put, $"/api/v1/items/{id}", tenant, RawRequests.ValidUpdateBody).WithHeader("If-Match", "\"1\"")))
        {
            await ProblemAssert.IsProblemAsync(stale, HttpStatusCode.PreconditionFailed, "version-mismatch");
        }

        // List, filtered by category
        var page = await stack.Client.GetJsonAsync("/api/v1/items?category=electronics", tenant);
        Assert.Equal(["items", "next_page_token"], page.PropertyNames());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next_page_token").ValueKind);
        var listed = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(replaced.GetRawText()), JsonNode.Parse(listed.GetRawText())));
        Assert.Empty((await stack.Client.GetJsonAsync("/api/v1/items?category=books", tenant)).GetProperty("items").EnumerateArray());

        // Sell 50
        using var sale = RawRequests.Create(HttpMethod.Patch, $"/api/v1/items/{id}/inventory", tenant, """{"quantity_change":-50,"reason":"sale","updated_by":"till-7"}""");
        using var sold = await stack.Client.SendAsync(sale);
        var change = await ApiCalls.ReadJsonAsync(sold, HttpStatusCode.OK);
        Assert.Equal(["item", "previous_count"], change.PropertyNames());
        Assert.Equal(150, change.GetProperty("previous_count").GetInt64());
        Assert.Equal(ItemProperties, change.GetProperty("item").PropertyNames());
        Assert.Equal(100, change.GetProperty("item").GetProperty("inventory_count").GetInt64());
        Assert.Equal("till-7", change.GetProperty("item").GetProperty("updated_by").GetString());
        Assert.Equal(3, change.GetProperty("item").GetProperty("version").GetInt64());

        // Soft delete: the item stays readable, discontinued
        using (var deleted = await stack.Client.SendAsync(RawRequests.Create(HttpMethod.Delete, $"/api/v1/items/{id}", tenant)))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
            Assert.Empty(await deleted.Content.ReadAsByteArrayAsync());
        }

        var discontinued = await stack.Client.GetJsonAsync($"/api/v1/items/{id}", tenant);
        Assert.Equal("discontinued", discontinued.GetProperty("status").GetString());
        Assert.Equal(100, discontinued.GetProperty("inventory_count").GetInt64());
        var byStatus = await stack.Client.GetJsonAsync("/api/v1/items?status=discontinued", tenant);
        Assert.Equal([id], byStatus.GetProperty("items").EnumerateArray().Select(listedItem => listedItem.GetProperty("id").GetString()));

        // Another tenant sees none of it
        using var foreign = await stack.Client.SendAsync(RawRequests.Create(HttpMethod.Get, $"/api/v1/items/{id}", stack.NewTenant()));
        await ProblemAssert.IsProblemAsync(foreign, HttpStatusCode.NotFound, "item-not-found");
    }

    /// <summary>RFC 3339 in UTC with a <c>Z</c>, as the API documents.</summary>
    private static DateTimeOffset Rfc3339Utc(JsonElement value)
    {
        var text = value.GetString()!;
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$", text);
        return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
    }
}
