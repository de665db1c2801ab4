using System.Net;
using CanaryDemo.EndToEnd.Tests.Infrastructure;

namespace CanaryDemo.EndToEnd.Tests;

/// <summary>
/// The bad-input battery over HTTP against the real stack, aimed at real items: each case is the
/// right 4xx with problem details (never a 5xx), whether the api-service or the store-service
/// refuses it, and afterwards both tenants' data is exactly what it was.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class BadInputTests(StackFixture stack)
{
    private const string Create = """{"name":"Pen","price":1.5,"category":"books"}""";
    private const string Update = """{"name":"Pen","price":1.5,"category":"books","status":"active"}""";
    private const string Sale = """{"quantity_change":-1,"reason":"sale"}""";
    private const string ExistingKey = "existing-key-1";

    private static readonly Lock SeedLock = new();
    private static Task<Seeded>? s_seeded;

    // Placeholders: {a} an item of tenant A (the caller), {b} an item of tenant B, {token-b} a page
    // token issued to B, {token-a} one issued to A for category=electronics, {token-a-tampered}
    // that token with one character changed.
    private static readonly Dictionary<string, BadInput> Cases = new BadInput[]
    {
        // X-Tenant-ID
        new("tenant-missing", "POST", "/api/v1/items", Create, Field: "X-Tenant-ID", Tenant: null),
        new("tenant-zero", "DELETE", "/api/v1/items/{a}", null, Field: "X-Tenant-ID", Tenant: "0"),
        new("tenant-negative", "PUT", "/api/v1/items/{a}", Update, Field: "X-Tenant-ID", Tenant: "-1"),
        new("tenant-letters", "PATCH", "/api/v1/items/{a}/inventory", Sale, Field: "X-Tenant-ID", Tenant: "abc"),
        new("tenant-overflow", "GET", "/api/v1/items", null, Field: "X-Tenant-ID", Tenant: "9223372036854775808"),
        // Malformed JSON and wrong JSON types
        new("json-truncated", "POST", "/api/v1/items", """{"name":""", "malformed-json"),
        new("json-not-json", "PUT", "/api/v1/items/{a}", "not json", "malformed-json"),
        new("json-array-root", "PATCH", "/api/v1/items/{a}/inventory", "[]", "malformed-json"),
        new("json-duplicate-property", "POST", "/api/v1/items", """{"name":"Pen","price":1.5,"price":-1,"category":"books"}""", "malformed-json"),
        new("price-as-string", "POST", "/api/v1/items", """{"name":"Pen","price":"1.5","category":"books"}""", "malformed-json", "price"),
        new("inventory-as-string", "POST", "/api/v1/items", """{"name":"Pen","price":1,"category":"books","inventory_count":"10"}""", "malformed-json", "inventory_count"),
        new("tags-as-string", "PUT", "/api/v1/items/{a}", """{"name":"Pen","price":1,"category":"books","status":"active","tags":"a"}""", "malformed-json", "tags"),
        new("quantity-as-string", "PATCH", "/api/v1/items/{a}/inventory", """{"quantity_change":"-1"}""", "malformed-json", "quantity_change"),
        new("quantity-as-float", "PATCH", "/api/v1/items/{a}/inventory", """{"quantity_change":-1.5}""", "malformed-json", "quantity_change"),
        // Size and media type
        new("create-too-large", "POST", "/api/v1/items", $$"""{"name":"Pen","price":1,"category":"books","description":"{{new string('x', 70_000)}}"}""", "payload-too-large", Status: HttpStatusCode.RequestEntityTooLarge),
        new("update-too-large", "PUT", "/api/v1/items/{a}", $$"""{"name":"Pen","price":1,"category":"books","status":"active","description":"{{new string('x', 70_000)}}"}""", "payload-too-large", Status: HttpStatusCode.RequestEntityTooLarge),
        new("content-type-text", "POST", "/api/v1/items", Create, "unsupported-media-type", Status: HttpStatusCode.UnsupportedMediaType, ContentType: "text/plain"),
        // Unknown enum values
        new("category-unknown", "POST", "/api/v1/items", """{"name":"Pen","price":1,"category":"food"}""", "malformed-json", "category"),
        new("status-unknown", "PUT", "/api/v1/items/{a}", """{"name":"Pen","price":1,"category":"books","status":"deleted"}""", "malformed-json", "status"),
        new("filter-category-unknown", "GET", "/api/v1/items?category=food", null, Field: "category"),
        new("filter-status-unknown", "GET", "/api/v1/items?status=deleted", null, Field: "status"),
        // Field rules
        new("price-negative-create", "POST", "/api/v1/items", """{"name":"Pen","price":-0.01,"category":"books"}""", Field: "price"),
        new("price-negative-update", "PUT", "/api/v1/items/{a}", """{"name":"Pen","price":-1,"category":"books","status":"active"}""", Field: "price"),
        new("name-blank", "POST", "/api/v1/items", """{"name":"  ","price":1,"category":"books"}""", Field: "name"),
        new("quantity-zero", "PATCH", "/api/v1/items/{a}/inventory", """{"quantity_change":0}""", Field: "quantity_change"),
        // Paging
        new("page-size-zero", "GET", "/api/v1/items?page_size=0", null, Field: "page_size"),
        new("page-size-10000", "GET", "/api/v1/items?page_size=10000", null, Field: "page_size"),
        new("page-token-garbage", "GET", "/api/v1/items?page_token=%21%21not%20a%20token", null, Field: "page_token"),
        new("page-token-of-another-tenant", "GET", "/api/v1/items?page_token={token-b}", null, Field: "page_token"),
        new("page-token-for-another-filter", "GET", "/api/v1/items?category=books&page_token={token-a}", null, Field: "page_token"),
        new("page-token-tampered", "GET", "/api/v1/items?category=electronics&page_token={token-a-tampered}", null, Field: "page_token"),
        // Ids
        new("get-id-not-uuid", "GET", "/api/v1/items/123", null, Field: "id"),
        new("put-id-not-uuid", "PUT", "/api/v1/items/not-a-uuid", Update, Field: "id"),
        new("delete-id-not-uuid", "DELETE", "/api/v1/items/123", null, Field: "id"),
        new("patch-id-not-uuid", "PATCH", "/api/v1/items/123/inventory", Sale, Field: "id"),
        // If-Match
        new("if-match-unquoted", "PUT", "/api/v1/items/{a}", Update, Field: "If-Match", Headers: [("If-Match", "1")]),
        new("if-match-weak", "PUT", "/api/v1/items/{a}", Update, Field: "If-Match", Headers: [("If-Match", "W/\"1\"")]),
        new("if-match-not-a-version", "PUT", "/api/v1/items/{a}", Update, Field: "If-Match", Headers: [("If-Match", "\"abc\"")]),
        new("if-match-on-delete", "DELETE", "/api/v1/items/{a}", null, Field: "If-Match", Headers: [("If-Match", "\"1\"")]),
        new("if-match-stale", "PUT", "/api/v1/items/{a}", Update, "version-mismatch", Status: HttpStatusCode.PreconditionFailed, Headers: [("If-Match", "\"99\"")]),
        // Refused by the store: the item's state, another tenant's item, a reused key
        new("inventory-below-zero", "PATCH", "/api/v1/items/{a}/inventory", """{"quantity_change":-1000}""", "insufficient-inventory", Status: HttpStatusCode.Conflict),
        new("update-other-tenants-item", "PUT", "/api/v1/items/{b}", Update, "item-not-found", Status: HttpStatusCode.NotFound),
        new("delete-other-tenants-item", "DELETE", "/api/v1/items/{b}", null, "item-not-found", Status: HttpStatusCode.NotFound),
        new("sell-other-tenants-item", "PATCH", "/api/v1/items/{b}/inventory", Sale, "item-not-found", Status: HttpStatusCode.NotFound),
        new("idempotency-key-reused", "POST", "/api/v1/items", Create, "idempotency-key-reused", Status: HttpStatusCode.UnprocessableEntity, Headers: [("Idempotency-Key", ExistingKey)]),
        // Integer extremes, judged by the store (the api passes 64-bit values on)
        new("quantity-int64-minimum", "PATCH", "/api/v1/items/{a}/inventory", """{"quantity_change":-9223372036854775808}""", Field: "quantity_change"),
        new("quantity-int64-maximum", "PATCH", "/api/v1/items/{a}/inventory", """{"quantity_change":9223372036854775807}""", Field: "quantity_change"),
        new("inventory-int64-maximum", "POST", "/api/v1/items", """{"name":"Pen","price":1,"category":"books","inventory_count":9223372036854775807}""", Field: "inventory_count"),
        new("inventory-int64-minimum", "POST", "/api/v1/items", """{"name":"Pen","price":1,"category":"books","inventory_count":-9223372036854775808}""", Field: "inventory_count"),
        new("if-match-int64-maximum", "PUT", "/api/v1/items/{a}", Update, "version-mismatch", Status: HttpStatusCode.PreconditionFailed, Headers: [("If-Match", "\"9223372036854775807\"")]),
        new("page-size-int32-minimum", "GET", "/api/v1/items?page_size=-2147483648", null, Field: "page_size"),
        new("price-underflow", "POST", "/api/v1/items", """{"name":"Pen","price":1e-400,"category":"books"}""", "malformed-json", "price"),
        // Ids: exactly 8-4-4-4-12, no white space or other forms around it
        new("id-leading-space", "GET", "/api/v1/items/%20{a}", null, Field: "id"),
        new("id-trailing-space", "PUT", "/api/v1/items/{a}%20", Update, Field: "id"),
        new("id-trailing-tab", "PATCH", "/api/v1/items/{a}%09/inventory", Sale, Field: "id"),
        new("id-in-braces", "DELETE", "/api/v1/items/%7B{a}%7D", null, Field: "id"),
    }.ToDictionary(input => input.Name);

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Fact]
    public async Task An_id_in_upper_case_names_the_same_item()
    {
        var seeded = await SeedOnceAsync();
        var id = seeded.Expand("{a}");

        var item = await stack.Client.GetJsonAsync($"/api/v1/items/{id.ToUpperInvariant()}", seeded.A);

        Assert.Equal(id, item.GetProperty("id").GetString());
    }

    [Fact]
    public void Battery_covers_at_least_35_cases() => Assert.True(Cases.Count >= 35, $"{Cases.Count} cases");

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Bad_input_is_a_4xx_problem_and_changes_nothing(string caseName)
    {
        var seeded = await SeedOnceAsync();
        var input = Cases[caseName];
        using var request = input.ToRequest(seeded.Expand);

        using var response = await stack.Client.SendAsync(request);

        await input.AssertRefusedAsync(response);
        Assert.Equal(seeded.TenantA, await SnapshotAsync(seeded.A));
        Assert.Equal(seeded.TenantB, await SnapshotAsync(seeded.B));
    }

    /// <summary>Tenant A: two electronics items and a book created with an Idempotency-Key; tenant B: two items.</summary>
    private Task<Seeded> SeedOnceAsync()
    {
        lock (SeedLock)
        {
            return s_seeded ??= SeedAsync();
        }
    }

    private async Task<Seeded> SeedAsync()
    {
        long a = stack.NewTenant(), b = stack.NewTenant();
        var itemA = (await stack.Client.CreateItemAsync(a, """{"name":"Speaker","price":20,"category":"electronics","inventory_count":5}""")).GetProperty("id").GetString()!;
        await stack.Client.CreateItemAsync(a, """{"name":"Cable","price":3,"category":"electronics"}""");
        await stack.Client.CreateItemAsync(a, """{"name":"Novel","price":9.5,"category":"books"}""", ExistingKey);
        var itemB = (await stack.Client.CreateItemAsync(b)).GetProperty("id").GetString()!;
        await stack.Client.CreateItemAsync(b);

        var tokenA = (await stack.Client.GetJsonAsync("/api/v1/items?category=electronics&page_size=1", a)).GetProperty("next_page_token").GetString()!;
        var tokenB = (await stack.Client.GetJsonAsync("/api/v1/items?page_size=1", b)).GetProperty("next_page_token").GetString()!;
        var middle = tokenA.Length / 2;
        var tampered = string.Concat(tokenA.AsSpan(0, middle), tokenA[middle] == 'A' ? "B" : "A", tokenA.AsSpan(middle + 1));

        var placeholders = new Dictionary<string, string>
        {
            ["{a}"] = itemA,
            ["{b}"] = itemB,
            ["{token-a}"] = tokenA,
            ["{token-b}"] = tokenB,
            ["{token-a-tampered}"] = tampered,
            [BadInput.CallerTenant] = a.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return new Seeded(a, b, placeholders, await SnapshotAsync(a), await SnapshotAsync(b));
    }

    /// <summary>Everything the tenant has, as the API lists it (one page holds it all).</summary>
    private async Task<string> SnapshotAsync(long tenant)
    {
        var page = await stack.Client.GetJsonAsync("/api/v1/items?page_size=100", tenant);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, page.GetProperty("next_page_token").ValueKind);
        return page.GetProperty("items").GetRawText();
    }

    private sealed record Seeded(long A, long B, Dictionary<string, string> Placeholders, string TenantA, string TenantB)
    {
        public string Expand(string template) =>
            Placeholders.Aggregate(template, (text, placeholder) => text.Replace(placeholder.Key, placeholder.Value, StringComparison.Ordinal));
    }
}
