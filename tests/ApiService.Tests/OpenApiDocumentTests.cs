using System.Net;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using CanaryDemo.ApiService.Problems;
using CanaryDemo.ApiService.Tests.Infrastructure;
using CanaryDemo.Store.V1;

namespace CanaryDemo.ApiService.Tests;

/// <summary>
/// The served OpenAPI document describes what a client needs: every operation, parameter and
/// header, the canary headers, the problem types. (The linter and a generated client run against
/// it in the openapi suite.)
/// </summary>
public sealed class OpenApiDocumentTests
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    [Fact]
    public async Task Every_operation_has_a_summary_a_description_a_tag_and_the_canary_header()
    {
        var document = await FetchDocumentAsync();

        Assert.Equal("CanaryDemo items API", document.GetProperty("info").GetProperty("title").GetString());
        Assert.False(document.TryGetProperty("servers", out _));
        var operations = Operations(document).ToList();
        Assert.Equal(7, operations.Count);
        foreach (var (name, operation) in operations)
        {
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), name);
            Assert.True(operation.GetProperty("description").GetString()!.Length > 20, name);
            Assert.NotEmpty(operation.GetProperty("tags").EnumerateArray());
            var parameters = operation.GetProperty("parameters").EnumerateArray().ToList();
            Assert.Contains(parameters, p => p.GetProperty("name").GetString() == "X-Canary" && p.GetProperty("in").GetString() == "header");
            Assert.All(parameters, p => Assert.False(string.IsNullOrWhiteSpace(p.GetProperty("description").GetString()), $"{name}: {p.GetProperty("name")}"));
            foreach (var response in operation.GetProperty("responses").EnumerateObject())
            {
                var headers = response.Value.GetProperty("headers");
                Assert.True(headers.TryGetProperty("X-Canary-Echo", out _), $"{name} {response.Name}");
                Assert.True(headers.TryGetProperty("X-Canary-Route", out _), $"{name} {response.Name}");
                Assert.All(headers.EnumerateObject(), header => Assert.False(string.IsNullOrWhiteSpace(header.Value.GetProperty("description").GetString())));
            }
        }
    }

    [Fact]
    public async Task The_api_operations_document_the_caller_headers_and_their_response_headers()
    {
        var document = await FetchDocumentAsync();
        var operations = Operations(document).ToDictionary();

        foreach (var (name, operation) in operations.Where(pair => pair.Key != "GetHealth"))
        {
            var tenant = operation.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "X-Tenant-ID");
            Assert.True(tenant.GetProperty("required").GetBoolean(), name);
        }

        var created = operations["CreateItem"].GetProperty("responses").GetProperty("201").GetProperty("headers");
        Assert.True(created.TryGetProperty("Location", out _));
        Assert.True(created.TryGetProperty("ETag", out _));
        foreach (var name in new[] { "GetItem", "UpdateItem", "UpdateInventory" })
        {
            Assert.True(operations[name].GetProperty("responses").GetProperty("200").GetProperty("headers").TryGetProperty("ETag", out _), name);
        }
    }

    [Fact]
    public async Task The_list_query_is_typed_as_clients_send_it()
    {
        var parameters = Operations(await FetchDocumentAsync()).Single(operation => operation.Name == "ListItems").Operation
            .GetProperty("parameters").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("schema"));

        Assert.Equal(ItemEnumNames.Categories.Names, parameters["category"].GetProperty("enum").EnumerateArray().Select(name => name.GetString()));
        Assert.Equal(ItemEnumNames.Statuses.Names, parameters["status"].GetProperty("enum").EnumerateArray().Select(name => name.GetString()));
        Assert.Equal("integer", parameters["page_size"].GetProperty("type").GetString());
        Assert.Equal("int32", parameters["page_size"].GetProperty("format").GetString());
        Assert.Equal("string", parameters["search"].GetProperty("type").GetString());
    }

    [Fact]
    public async Task The_route_header_is_documented_as_the_api_writes_it()
    {
        await using var store = await StoreDoubleHost.StartAsync();
        await using var api = await ApiHost.StartAsync(store.Address, "--Canary:Track=pr-42", "--Canary:RouteHeader=true");
        using var response = await api.Client.GetAsync("/openapi/v1.json");
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        var routes = Operations(document)
            .SelectMany(operation => operation.Operation.GetProperty("responses").EnumerateObject())
            .Select(response => response.Value.GetProperty("headers").GetProperty("X-Canary-Route"))
            .ToList();
        var pattern = routes[0].GetProperty("schema").GetProperty("pattern").GetString()!;
        Assert.All(routes, route => Assert.Equal(pattern, route.GetProperty("schema").GetProperty("pattern").GetString()));
        var documented = new Regex(pattern, RegexOptions.ECMAScript);
        // Fetching the document calls nothing: the route is the api's own hop.
        var served = response.Headers.GetValues("X-Canary-Route").Single();
        Assert.Equal("api-service=pr-42", served);
        Assert.Matches(documented, served);
        Assert.Matches(documented, "api-service=pr-42, store-service=stable");
        Assert.DoesNotMatch(documented, "api-service=pr-042, store-service=stable");
        Assert.DoesNotMatch(documented, "api-service=pr-42,store-service=stable");
        Assert.Contains("Canary:RouteHeader", routes[0].GetProperty("description").GetString());
    }

    [Fact]
    public async Task Prices_are_decimal_numbers_in_every_body()
    {
        var schemas = (await FetchDocumentAsync()).GetProperty("components").GetProperty("schemas");

        foreach (var (name, types) in new[] { ("CreateItemRequest", "null number"), ("UpdateItemRequest", "null number"), ("ItemResponse", "number") })
        {
            var price = schemas.GetProperty(name).GetProperty("properties").GetProperty("price");
            var type = price.GetProperty("type");
            string[] documented = type.ValueKind == JsonValueKind.Array ? [.. type.EnumerateArray().Select(t => t.GetString()!)] : [type.GetString()!];
            Assert.Equal(types, string.Join(' ', documented.Order(StringComparer.Ordinal)));
            Assert.Equal("decimal", price.GetProperty("format").GetString());
        }
    }

    [Fact]
    public async Task Bodies_have_examples_and_problems_name_every_problem_type()
    {
        var schemas = (await FetchDocumentAsync()).GetProperty("components").GetProperty("schemas");

        foreach (var name in new[] { "CreateItemRequest", "UpdateItemRequest", "InventoryChangeRequest", "ItemResponse", "ItemPage", "InventoryChangeResponse", "HealthStatus" })
        {
            Assert.NotEmpty(schemas.GetProperty(name).GetProperty("examples").EnumerateArray());
        }

        var typeDescription = schemas.GetProperty("ProblemDetails").GetProperty("properties").GetProperty("type").GetProperty("description").GetString()!;
        Assert.All(ProblemTypes.All, type => Assert.Contains(type, typeDescription));
    }

    [Fact]
    public void The_list_of_problem_types_has_every_one_of_them()
    {
        var declared = typeof(ProblemTypes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.IsLiteral).Select(field => (string)field.GetRawConstantValue()!);

        Assert.Equal(declared.Order(), ProblemTypes.All.Order());
    }

    private static async Task<JsonElement> FetchDocumentAsync()
    {
        await using var store = await StoreDoubleHost.StartAsync();
        await using var api = await ApiHost.StartAsync(store.Address);
        using var response = await api.Client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static IEnumerable<(string Name, JsonElement Operation)> Operations(JsonElement document) =>
        from path in document.GetProperty("paths").EnumerateObject()
        from method in path.Value.EnumerateObject()
        where Methods.Contains(method.Name)
        select (method.Value.GetProperty("operationId").GetString()!, method.Value);
}
