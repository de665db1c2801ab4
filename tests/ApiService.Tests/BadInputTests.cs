using System.Net;
using CanaryDemo.ApiService.Tests.Infrastructure;

namespace CanaryDemo.ApiService.Tests;

/// <summary>
/// The bad-input battery over HTTP, for what only the HTTP edge can judge: headers,
/// JSON syntax and types, enum names, body size and media type, values the store's message cannot
/// carry. Each case is the right 4xx with problem details (the offending field named where there
/// is one), and the store never sees the request. The item rules are the store's: StoreValidationTests.
/// </summary>
public sealed class BadInputTests(ApiStack stack) : IClassFixture<ApiStack>
{
    private const string Id = RawRequests.ItemId;
    private const string Create = """{"name":"Pen","price":1.5,"category":"books"}""";
    private const string Update = """{"name":"Pen","price":1.5,"category":"books","status":"active"}""";

    private static readonly Dictionary<string, BadInput> Cases = new BadInput[]
    {
        // X-Tenant-ID and X-User-ID
        new("tenant-missing", "POST", "/api/v1/items", Create, Field: "X-Tenant-ID", Tenant: null),
        new("tenant-zero", "POST", "/api/v1/items", Create, Field: "X-Tenant-ID", Tenant: "0"),
        new("tenant-negative", "POST", "/api/v1/items", Create, Field: "X-Tenant-ID", Tenant: "-1"),
        new("tenant-letters", "POST", "/api/v1/items", Create, Field: "X-Tenant-ID", Tenant: "abc"),
        new("tenant-overflow", "POST", "/api/v1/items", Create, Field: "X-Tenant-ID", Tenant: "9223372036854775808"),
        new("tenant-decimal", "GET", "/api/v1/items", null, Field: "X-Tenant-ID", Tenant: "1.5"),
        new("tenant-empty", "GET", "/api/v1/items", null, Field: "X-Tenant-ID", Tenant: ""),
        new("tenant-two-numbers", "GET", "/api/v1/items/" + Id, null, Field: "X-Tenant-ID", Tenant: "1 2"),
        new("tenant-hex", "DELETE", "/api/v1/items/" + Id, null, Field: "X-Tenant-ID", Tenant: "0x10"),
        new("user-id-empty", "POST", "/api/v1/items", Create, Field: "X-User-ID", Headers: [("X-User-ID", "")]),
        new("user-id-with-space", "GET", "/api/v1/items", null, Field: "X-User-ID", Headers: [("X-User-ID", "jane doe")]),
        // Malformed JSON
        new("json-truncated", "POST", "/api/v1/items", """{"name":""", "malformed-json"),
        new("json-not-json", "POST", "/api/v1/items", "not json", "malformed-json"),
        new("json-array-root", "POST", "/api/v1/items", "[]", "malformed-json"),
        new("json-null-root", "POST", "/api/v1/items", "null", "malformed-json"),
        new("json-trailing-comma", "POST", "/api/v1/items", """{"name":"Pen","price":1.5,"category":"books",}""", "malformed-json"),
        new("json-trailing-garbage", "POST", "/api/v1/items", Create + " x", "malformed-json"),
        new("json-comment", "POST", "/api/v1/items", """{/* c */"name":"Pen","price":1.5,"category":"books"}""", "malformed-json"),
        new("json-duplicate-property", "POST", "/api/v1/items", """{"name":"Pen","price":1.5,"price":-1,"category":"books"}""", "malformed-json"),
        // Wrong JSON types
        new("price-as-string", "POST", "/api/v1/items", """{"name":"Pen","price":"1.5","category":"books"}""", "malformed-json", "price"),
        new("price-as-bool", "POST", "/api/v1/items", """{"name":"Pen","price":true,"category":"books"}""", "malformed-json", "price"),
        new("price-beyond-decimal", "POST", "/api/v1/items", """{"name":"Pen","price":1e30,"category":"books"}""", "malformed-json", "price"),
        new("inventory-as-float", "POST", "/api/v1/items", """{"name":"Pen","price":1,"category":"books","inventory_count":1.5}""", "malformed-json", "inventory_count"),
        new("inventory-as-string", "POST", "/api/v1/items", """{"name":"Pen","price":1,"category":"books","inventory_count":"10"}""", "malformed-json", "inventory_count"),
        new("tags-as-string", "POST", "/api/v1/items", """{"name":"Pen","price":1,"category":"books","tags":"a"}""", "malformed-json", "tags"),
        new("tags-of-numbers", "POST", "/api/v1/items", """{"name":"Pen","price":1,"category":"books","tags":[1]}""", "malformed-json", "tags[0]"),
        new("name-as-number", "POST", "/api/v1/items", """{"name":123,"price":1,"category":"books"}""", "malformed-json", "name"),
        new("category-as-number", "POST", "/api/v1/items", """{"name":"Pen","price":1,"category":1}""", "malformed-json", "category"),
        // Unknown enum strings
        new("category-unknown", "POST", "/api/v1/items", """{"name":"Pen","price":1,"category":"food"}""", "malformed-json", "category"),
        new("status-unknown", "POST", "/api/v1/items", """{"name":"Pen","price":1,"category":"books","status":"deleted"}""", "malformed-json", "status"),
        new("category-wrong-case", "POST", "/api/v1/items", """{"name":"Pen","price":1,"category":"Electronics"}""", "malformed-json", "category"),
        new("status-proto-name", "PUT", "/api/v1/items/" + Id, """{"name":"Pen","price":1,"category":"books","status":"ITEM_STATUS_ACTIVE"}""", "malformed-json", "status"),
        // What the store's message cannot carry (the item rules themselves are the store's: StoreValidationTests)
        new("price-too-precise", "POST", "/api/v1/items", """{"name":"Pen","price":0.0000000001,"category":"books"}""", Field: "price"),
        new("price-beyond-int64", "POST", "/api/v1/items", """{"name":"Pen","price":1e20,"category":"books"}""", Field: "price"),
        new("tag-null", "POST", "/api/v1/items", """{"name":"Pen","price":1,"category":"books","tags":["a",null]}""", Field: "tags[1]"),
        // Transport: size, media type, missing body
        new("body-too-large", "POST", "/api/v1/items", $$"""{"name":"Pen","price":1,"category":"books","description":"{{new string('x', 70_000)}}"}""", "payload-too-large", Status: HttpStatusCode.RequestEntityTooLarge),
        new("content-type-text", "POST", "/api/v1/items", Create, "unsupported-media-type", Status: HttpStatusCode.UnsupportedMediaType, ContentType: "text/plain"),
        new("body-missing", "POST", "/api/v1/items", null, "malformed-json"),
        // List query
        new("page-size-letters", "GET", "/api/v1/items?page_size=ten", null, Field: "page_size"),
        new("page-size-decimal", "GET", "/api/v1/items?page_size=1.5", null, Field: "page_size"),
        new("page-size-beyond-int32", "GET", "/api/v1/items?page_size=2147483648", null, Field: "page_size"),
        new("filter-category-unknown", "GET", "/api/v1/items?category=food", null, Field: "category"),
        new("filter-status-unknown", "GET", "/api/v1/items?status=deleted", null, Field: "status"),
        // If-Match
        new("if-match-unquoted", "PUT", "/api/v1/items/" + Id, Update, Field: "If-Match", Headers: [("If-Match", "3")]),
        new("if-match-weak", "PUT", "/api/v1/items/" + Id, Update, Field: "If-Match", Headers: [("If-Match", "W/\"3\"")]),
        new("if-match-not-a-version", "PUT", "/api/v1/items/" + Id, Update, Field: "If-Match", Headers: [("If-Match", "\"abc\"")]),
        new("if-match-version-zero", "PUT", "/api/v1/items/" + Id, Update, Field: "If-Match", Headers: [("If-Match", "\"0\"")]),
        new("if-match-list", "PUT", "/api/v1/items/" + Id, Update, Field: "If-Match", Headers: [("If-Match", "\"1\", \"2\"")]),
        new("if-match-on-delete", "DELETE", "/api/v1/items/" + Id, null, Field: "If-Match", Headers: [("If-Match", "\"3\"")]),
        new("if-match-on-patch", "PATCH", "/api/v1/items/" + Id + "/inventory", """{"quantity_change":1}""", Field: "If-Match", Headers: [("If-Match", "\"3\"")]),
        // Idempotency-Key
        new("idempotency-key-empty", "POST", "/api/v1/items", Create, Field: "Idempotency-Key", Headers: [("Idempotency-Key", "")]),
        new("idempotency-key-empty-on-patch", "PATCH", "/api/v1/items/" + Id + "/inventory", """{"quantity_change":1}""", Field: "Idempotency-Key", Headers: [("Idempotency-Key", "")]),
        // Inventory
        new("quantity-missing", "PATCH", "/api/v1/items/" + Id + "/inventory", """{"reason":"count"}""", Field: "quantity_change"),
        new("quantity-as-string", "PATCH", "/api/v1/items/" + Id + "/inventory", """{"quantity_change":"5"}""", "malformed-json", "quantity_change"),
        new("quantity-as-float", "PATCH", "/api/v1/items/" + Id + "/inventory", """{"quantity_change":1.5}""", "malformed-json", "quantity_change"),
        // Integers beyond 64 bits, and decimals no decimal holds exactly (never rounded to a neighbour)
        new("quantity-beyond-int64", "PATCH", "/api/v1/items/" + Id + "/inventory", """{"quantity_change":9223372036854775808}""", "malformed-json", "quantity_change"),
        new("quantity-below-int64", "PATCH", "/api/v1/items/" + Id + "/inventory", """{"quantity_change":-9223372036854775809}""", "malformed-json", "quantity_change"),
        new("inventory-beyond-int64", "POST", "/api/v1/items", """{"name":"Pen","price":1,"category":"books","inventory_count":9223372036854775808}""", "malformed-json", "inventory_count"),
        new("tenant-int64-minimum", "GET", "/api/v1/items", null, Field: "X-Tenant-ID", Tenant: "-9223372036854775808"),
        new("page-size-below-int32", "GET", "/api/v1/items?page_size=-2147483649", null, Field: "page_size"),
        new("if-match-beyond-int64", "PUT", "/api/v1/items/" + Id, Update, Field: "If-Match", Headers: [("If-Match", "\"9223372036854775808\"")]),
        new("price-underflow", "POST", "/api/v1/items", """{"name":"Pen","price":1e-400,"category":"books"}""", "malformed-json", "price"),
        new("price-underflow-on-put", "PUT", "/api/v1/items/" + Id, """{"name":"Pen","price":-1e-400,"category":"books","status":"active"}""", "malformed-json", "price"),
        new("price-29-decimals", "POST", "/api/v1/items", """{"name":"Pen","price":0.00000000000000000000000000001,"category":"books"}""", "malformed-json", "price"),
        new("price-30-significant-digits", "POST", "/api/v1/items", """{"name":"Pen","price":1.00000000000000000000000000001,"category":"books"}""", "malformed-json", "price"),
        new("price-exponent-beyond-int32", "POST", "/api/v1/items", """{"name":"Pen","price":1e-99999999999,"category":"books"}""", "malformed-json", "price"),
    }.ToDictionary(input => input.Name);

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [InlineData("1.5", 1, 500_000_000)]
    [InlineData("15e-1", 1, 500_000_000)]
    [InlineData("0.150e1", 1, 500_000_000)]
    [InlineData("1E2", 100, 0)]
    [InlineData("0e-400", 0, 0)]
    [InlineData("-0.0", 0, 0)]
    [InlineData("299.990000000000000000000000", 299, 990_000_000)]
    public async Task Exact_numbers_in_any_notation_reach_the_store_unchanged(string price, long units, int nanos)
    {
        var tenant = ApiStack.NewTenant();
        using var response = await stack.Client.SendAsync(RawRequests.Create(
            HttpMethod.Post, "/api/v1/items", tenant, $$"""{"name":"Pen","price":{{price}},"category":"books"}"""));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var sent = Assert.Single(stack.Store.CallsFor(tenant)).RequestAs<CanaryDemo.Store.V1.CreateItemRequest>();
        Assert.Equal(new CanaryDemo.Store.V1.DecimalValue { Units = units, Nanos = nanos }, sent.Price);
    }

    [Fact]
    public void Battery_covers_at_least_35_cases() => Assert.True(Cases.Count >= 35, $"{Cases.Count} cases");

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Bad_input_is_a_4xx_problem_and_never_reaches_the_store(string caseName)
    {
        var input = Cases[caseName];
        using var request = input.ToRequest(text => text.Replace(BadInput.CallerTenant, "77", StringComparison.Ordinal));

        using var response = await stack.Client.SendAsync(request);

        await input.AssertRefusedAsync(response);
        Assert.Empty(stack.Store.Calls);
    }
}
