using System.Net;
using CanaryDemo.ApiService.Tests.Infrastructure;
using CanaryDemo.Store.V1;
using Google.Protobuf;
using Grpc.Core;

namespace CanaryDemo.ApiService.Tests;

/// <summary>
/// The item rules are the store's alone (docs/store-service.md, "Validation", tested against
/// dynalite in StoreService.Tests). The api sends such values on unjudged and unchanged, and the
/// store's answer, InvalidArgument with a google.rpc.BadRequest detail, becomes the 400 problem.
/// The double's answer is fixed, so this tests the api's part, not the rules.
/// </summary>
public sealed class StoreValidationTests(ApiStack stack) : IClassFixture<ApiStack>
{
    private const string StoreMessage = "breaks the store's rule";
    private const string Items = "/api/v1/items";
    private const string Item = "/api/v1/items/" + RawRequests.ItemId;

    private static readonly Dictionary<string, StoreJudged> Cases = new StoreJudged[]
    {
        new("name-too-long", "POST", Items, $$"""{"name":"{{new string('n', 201)}}","price":1,"category":"books"}""", "name",
            sent => ((CreateItemRequest)sent).Name.Length == 201),
        new("name-missing", "POST", Items, """{"price":1,"category":"books"}""", "name",
            sent => ((CreateItemRequest)sent).Name.Length == 0),
        new("price-missing", "POST", Items, """{"name":"Pen","category":"books"}""", "price",
            sent => ((CreateItemRequest)sent).Price is null),
        new("price-three-decimals", "POST", Items, """{"name":"Pen","price":1.005,"category":"books"}""", "price",
            sent => ((CreateItemRequest)sent).Price.Equals(new DecimalValue { Units = 1, Nanos = 5_000_000 })),
        new("category-missing", "POST", Items, """{"name":"Pen","price":1}""", "category",
            sent => ((CreateItemRequest)sent).Category == ItemCategory.Unspecified),
        new("sku-with-space", "POST", Items, """{"name":"Pen","price":1,"category":"books","sku":"WH 001"}""", "sku",
            sent => ((CreateItemRequest)sent).Sku == "WH 001"),
        new("too-many-tags", "POST", Items, $$"""{"name":"Pen","price":1,"category":"books","tags":[{{string.Join(',', Enumerable.Range(0, 21).Select(i => $"\"t{i}\""))}}]}""", "tags",
            sent => ((CreateItemRequest)sent).Tags.Count == 21),
        new("duplicate-tags", "POST", Items, """{"name":"Pen","price":1,"category":"books","tags":["sale","Sale"]}""", "tags[1]",
            sent => ((CreateItemRequest)sent).Tags.SequenceEqual(["sale", "Sale"])),
        new("put-status-missing", "PUT", Item, """{"name":"Pen","price":1,"category":"books"}""", "status",
            sent => ((UpdateItemRequest)sent).Status == ItemStatus.Unspecified),
        new("user-id-too-long", "POST", Items, """{"name":"Pen","price":1,"category":"books"}""", "created_by",
            sent => ((CreateItemRequest)sent).CreatedBy.Length == 129, Headers: [("X-User-ID", new string('u', 129))]),
        new("idempotency-key-with-space", "PATCH", Item + "/inventory", """{"quantity_change":1}""", "idempotency_key",
            sent => ((UpdateInventoryRequest)sent).IdempotencyKey == "a b", Headers: [("Idempotency-Key", "a b")]),
        new("id-not-uuid", "GET", Items + "/123", null, "id",
            sent => ((GetItemRequest)sent).Id == "123"),
        new("page-size-zero", "GET", Items + "?page_size=0", null, "page_size",
            sent => sent is ListItemsRequest { HasPageSize: true, PageSize: 0 }),
        new("page-token-garbage", "GET", Items + "?page_token=%21%21not%20a%20token%3F", null, "page_token",
            sent => ((ListItemsRequest)sent).PageToken == "!!not a token?"),
        new("quantity-zero", "PATCH", Item + "/inventory", """{"quantity_change":0}""", "quantity_change",
            sent => ((UpdateInventoryRequest)sent).QuantityChange == 0),
    }.ToDictionary(input => input.Name);

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Item_rules_are_judged_by_the_store_and_its_field_errors_come_back(string caseName)
    {
        var input = Cases[caseName];
        var tenant = ApiStack.NewTenant();
        stack.Store.Script(tenant, new StoreScript(StatusCode.InvalidArgument, $"{input.Field}: {StoreMessage}", FieldViolations: [(input.Field, StoreMessage)]));
        using var request = RawRequests.Create(new HttpMethod(input.Method), input.Path, tenant, input.Body);
        foreach (var (name, value) in input.Headers ?? [])
        {
            request.WithHeader(name, value);
        }

        using var response = await stack.Client.SendAsync(request);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "validation-failed");
        Assert.Equal([input.Field], problem.GetProperty("errors").EnumerateObject().Select(error => error.Name));
        Assert.Equal([StoreMessage], ProblemAssert.FieldErrors(problem, input.Field));
        var sent = Assert.Single(stack.Store.CallsFor(tenant)).Request;
        Assert.True(input.SentAsGiven(sent), $"the store received {sent}");
    }

    private sealed record StoreJudged(
        string Name,
        string Method,
        string Path,
        string? Body,
        string Field,
        Func<IMessage, bool> SentAsGiven,
        (string Name, string Value)[]? Headers = null);
}
