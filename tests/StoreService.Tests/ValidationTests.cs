using CanaryDemo.Store.V1;
using CanaryDemo.StoreService.Tests.Infrastructure;
using Google.Rpc;
using Grpc.Core;
using StoreClient = CanaryDemo.Store.V1.StoreService.StoreServiceClient;

namespace CanaryDemo.StoreService.Tests;

/// <summary>Bad input is InvalidArgument naming the field, and nothing is written.</summary>
[Collection(StoreCollection.Name)]
public sealed class ValidationTests(StoreFixture store)
{
    private delegate Task BadCall(StoreClient client, Item existing);

    private static readonly Dictionary<string, (string Field, BadCall Call)> Cases = new()
    {
        ["create: empty name"] = ("name", (c, e) => Create(c, e, r => r.Name = "")),
        ["create: whitespace name"] = ("name", (c, e) => Create(c, e, r => r.Name = "   ")),
        ["create: name over 200 characters"] = ("name", (c, e) => Create(c, e, r => r.Name = new string('n', 201))),
        ["create: control character in name"] = ("name", (c, e) => Create(c, e, r => r.Name = "Bell\u0007")),
        ["create: description over 2000 characters"] = ("description", (c, e) => Create(c, e, r => r.Description = new string('d', 2001))),
        ["create: sku over 64 characters"] = ("sku", (c, e) => Create(c, e, r => r.Sku = new string('S', 65))),
        ["create: sku with a space"] = ("sku", (c, e) => Create(c, e, r => r.Sku = "WH 001")),
        ["create: missing price"] = ("price", (c, e) => Create(c, e, r => r.Price = null)),
        ["create: negative price"] = ("price", (c, e) => Create(c, e, r => r.Price = ItemRequests.Price(-1, -500_000_000))),
        ["create: three decimals"] = ("price", (c, e) => Create(c, e, r => r.Price = ItemRequests.Price(1, 5_000_000))),
        ["create: nanos out of range"] = ("price", (c, e) => Create(c, e, r => r.Price = ItemRequests.Price(1, 1_000_000_000))),
        ["create: units and nanos of opposite sign"] = ("price", (c, e) => Create(c, e, r => r.Price = ItemRequests.Price(1, -10_000_000))),
        ["create: price of a billion"] = ("price", (c, e) => Create(c, e, r => r.Price = ItemRequests.Price(1_000_000_000, 0))),
        ["create: no category"] = ("category", (c, e) => Create(c, e, r => r.Category = ItemCategory.Unspecified)),
        ["create: unknown category number"] = ("category", (c, e) => Create(c, e, r => r.Category = (ItemCategory)99)),
        ["create: unknown status number"] = ("status", (c, e) => Create(c, e, r => r.Status = (ItemStatus)42)),
        ["create: 21 tags"] = ("tags", (c, e) => Create(c, e, r => r.Tags.Add(Enumerable.Range(0, 18).Select(i => $"t{i}")))),
        ["create: tag over 50 characters"] = ("tags[0]", (c, e) => Create(c, e, r => r.Tags[0] = new string('t', 51))),
        ["create: empty tag"] = ("tags[1]", (c, e) => Create(c, e, r => r.Tags[1] = "")),
        ["create: duplicate tag"] = ("tags[2]", (c, e) => Create(c, e, r => r.Tags[2] = "WIRELESS")),
        ["create: tenant 0"] = ("tenant_id", (c, e) => Create(c, e, r => r.TenantId = 0)),
        ["create: negative tenant"] = ("tenant_id", (c, e) => Create(c, e, r => r.TenantId = -5)),
        ["create: negative inventory"] = ("inventory_count", (c, e) => Create(c, e, r => r.InventoryCount = -1)),
        ["create: idempotency key with a space"] = ("idempotency_key", (c, e) => Create(c, e, r => r.IdempotencyKey = "key 1")),
        ["create: idempotency key over 100 characters"] = ("idempotency_key", (c, e) => Create(c, e, r => r.IdempotencyKey = new string('k', 101))),
        ["create: created_by over 128 characters"] = ("created_by", (c, e) => Create(c, e, r => r.CreatedBy = new string('u', 129))),
        ["get: malformed id"] = ("id", async (c, e) => await c.GetItemAsync(new GetItemRequest { TenantId = e.TenantId, Id = "not-a-uuid" })),
        ["get: tenant 0"] = ("tenant_id", async (c, e) => await c.GetItemAsync(new GetItemRequest { TenantId = 0, Id = e.Id })),
        ["update: malformed id"] = ("id", (c, e) => Update(c, e, r => r.Id = e.Id + "x")),
        ["update: no status"] = ("status", (c, e) => Update(c, e, r => r.Status = ItemStatus.Unspecified)),
        ["update: expected_version 0"] = ("expected_version", (c, e) => Update(c, e, r => r.ExpectedVersion = 0)),
        ["update: empty name"] = ("name", (c, e) => Update(c, e, r => r.Name = "")),
        ["update: negative price"] = ("price", (c, e) => Update(c, e, r => r.Price = ItemRequests.Price(0, -10_000_000))),
        ["delete: malformed id"] = ("id", async (c, e) => await c.DeleteItemAsync(new DeleteItemRequest { TenantId = e.TenantId, Id = "123" })),
        ["inventory: zero change"] = ("quantity_change", (c, e) => Inventory(c, e, r => r.QuantityChange = 0)),
        ["inventory: change beyond the bound"] = ("quantity_change", (c, e) => Inventory(c, e, r => r.QuantityChange = -2_000_000_000)),
        ["inventory: reason over 500 characters"] = ("reason", (c, e) => Inventory(c, e, r => r.Reason = new string('r', 501))),
        ["inventory: malformed id"] = ("id", (c, e) => Inventory(c, e, r => r.Id = "")),
        ["list: page size 0"] = ("page_size", (c, e) => List(c, e, r => r.PageSize = 0)),
        ["list: page size 101"] = ("page_size", (c, e) => List(c, e, r => r.PageSize = 101)),
        ["list: negative page size"] = ("page_size", (c, e) => List(c, e, r => r.PageSize = -1)),
        ["list: garbage page token"] = ("page_token", (c, e) => List(c, e, r => r.PageToken = "garbage!")),
        ["list: well-formed but unsigned page token"] = ("page_token", (c, e) => List(c, e, r => r.PageToken = new string('A', 110))),
        ["list: unknown category"] = ("category", (c, e) => List(c, e, r => r.Category = (ItemCategory)77)),
        ["list: unknown status"] = ("status", (c, e) => List(c, e, r => r.Status = (ItemStatus)77)),
        ["list: search over 100 characters"] = ("search", (c, e) => List(c, e, r => r.Search = new string('s', 101))),
        ["list: negative tenant"] = ("tenant_id", (c, e) => List(c, e, r => r.TenantId = -1)),
        // Integer extremes: every integer field, at both ends of its type
        ["create: tenant int64 minimum"] = ("tenant_id", (c, e) => Create(c, e, r => r.TenantId = long.MinValue)),
        ["create: inventory int64 minimum"] = ("inventory_count", (c, e) => Create(c, e, r => r.InventoryCount = long.MinValue)),
        ["create: inventory int64 maximum"] = ("inventory_count", (c, e) => Create(c, e, r => r.InventoryCount = long.MaxValue)),
        ["create: price units int64 minimum"] = ("price", (c, e) => Create(c, e, r => r.Price = ItemRequests.Price(long.MinValue, 0))),
        ["create: price units int64 maximum"] = ("price", (c, e) => Create(c, e, r => r.Price = ItemRequests.Price(long.MaxValue, 999_999_999))),
        ["create: price nanos int32 minimum"] = ("price", (c, e) => Create(c, e, r => r.Price = ItemRequests.Price(0, int.MinValue))),
        ["create: price nanos int32 maximum"] = ("price", (c, e) => Create(c, e, r => r.Price = ItemRequests.Price(0, int.MaxValue))),
        ["create: category int32 minimum"] = ("category", (c, e) => Create(c, e, r => r.Category = (ItemCategory)int.MinValue)),
        ["create: status int32 maximum"] = ("status", (c, e) => Create(c, e, r => r.Status = (ItemStatus)int.MaxValue)),
        ["get: tenant int64 minimum"] = ("tenant_id", async (c, e) => await c.GetItemAsync(new GetItemRequest { TenantId = long.MinValue, Id = e.Id })),
        ["update: expected_version int64 minimum"] = ("expected_version", (c, e) => Update(c, e, r => r.ExpectedVersion = long.MinValue)),
        ["inventory: change int64 minimum"] = ("quantity_change", (c, e) => Inventory(c, e, r => r.QuantityChange = long.MinValue)),
        ["inventory: change int64 maximum"] = ("quantity_change", (c, e) => Inventory(c, e, r => r.QuantityChange = long.MaxValue)),
        ["list: page size int32 minimum"] = ("page_size", (c, e) => List(c, e, r => r.PageSize = int.MinValue)),
        ["list: page size int32 maximum"] = ("page_size", (c, e) => List(c, e, r => r.PageSize = int.MaxValue)),
        // Ids: exactly the 36 characters of the 8-4-4-4-12 form
        ["get: id with a leading space"] = ("id", async (c, e) => await c.GetItemAsync(new GetItemRequest { TenantId = e.TenantId, Id = " " + e.Id })),
        ["get: id with a trailing newline"] = ("id", async (c, e) => await c.GetItemAsync(new GetItemRequest { TenantId = e.TenantId, Id = e.Id + "\n" })),
        ["update: id with surrounding tabs"] = ("id", (c, e) => Update(c, e, r => r.Id = "\t" + e.Id + "\t")),
        ["delete: id in braces"] = ("id", async (c, e) => await c.DeleteItemAsync(new DeleteItemRequest { TenantId = e.TenantId, Id = "{" + e.Id + "}" })),
        ["inventory: id without hyphens"] = ("id", (c, e) => Inventory(c, e, r => r.Id = e.Id.Replace("-", "", StringComparison.Ordinal))),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Bad_input_is_invalid_argument_naming_the_field_and_writes_nothing(string caseName)
    {
        var (field, call) = Cases[caseName];
        var tenant = store.NewTenant();
        var existing = (await store.Client.CreateItemAsync(ItemRequests.NewItem(tenant))).Item;

        var error = await Assert.ThrowsAsync<RpcException>(() => call(store.Client, existing));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains($"{field}: ", error.Status.Detail);
        var violations = error.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations;
        Assert.NotNull(violations);
        Assert.Contains(violations, violation => violation.Field == field && violation.Description.Length > 0);
        var rows = await store.StoredRowsAsync(tenant);
        var row = Assert.Single(rows);
        Assert.Equal("1", row["version"].N);
        Assert.Empty(await store.StoredRowsAsync(0));
        Assert.Empty(await store.StoredRowsAsync(-5));
    }

    [Fact]
    public async Task An_id_in_upper_or_mixed_case_names_the_same_item()
    {
        // RFC 9562, section 4: hex digits are case insensitive on input.
        var existing = (await store.Client.CreateItemAsync(ItemRequests.NewItem(store.NewTenant()))).Item;
        var mixed = string.Concat(existing.Id.Select((c, i) => i % 2 == 0 ? char.ToUpperInvariant(c) : c));

        var upper = await store.GetItemAsync(existing.TenantId, existing.Id.ToUpperInvariant());
        var changed = (await store.Client.UpdateInventoryAsync(
            new UpdateInventoryRequest { TenantId = existing.TenantId, Id = mixed, QuantityChange = 1 })).Item;

        Assert.Equal(existing, upper);
        Assert.Equal(existing.Id, changed.Id);
        Assert.Equal(existing.InventoryCount + 1, changed.InventoryCount);
        Assert.Single(await store.StoredRowsAsync(existing.TenantId));
    }

    [Fact]
    public async Task Every_bad_field_is_reported_at_once()
    {
        var request = ItemRequests.NewItem(store.NewTenant());
        request.Name = "";
        request.Price = ItemRequests.Price(-3, 0);
        request.Category = ItemCategory.Unspecified;

        var error = await Assert.ThrowsAsync<RpcException>(async () => await store.Client.CreateItemAsync(request));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(
            "name: must not be empty; price: must not be negative; category: is required",
            error.Status.Detail);
        Assert.Equal(["name", "price", "category"],
            error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Select(violation => violation.Field));
    }

    [Fact]
    public async Task Bounds_are_inclusive()
    {
        var request = ItemRequests.NewItem(store.NewTenant(), new string('n', 200));
        request.Description = new string('d', 2000);
        request.Sku = new string('S', 64);
        request.Price = ItemRequests.Price(999_999_999, 990_000_000);
        request.Tags.Clear();
        request.Tags.Add(Enumerable.Range(0, 20).Select(i => $"{i}{new string('t', 48)}"));
        request.InventoryCount = 1_000_000_000;

        var item = (await store.Client.CreateItemAsync(request)).Item;

        Assert.Equal(request.Name, item.Name);
        Assert.Equal(request.Price, item.Price);
        Assert.Equal(20, item.Tags.Count);
        var page = await store.Client.ListItemsAsync(new ListItemsRequest { TenantId = item.TenantId, PageSize = 100 });
        Assert.Single(page.Items);
    }

    private static async Task Create(StoreClient client, Item existing, Action<CreateItemRequest> spoil)
    {
        var request = ItemRequests.NewItem(existing.TenantId);
        spoil(request);
        await client.CreateItemAsync(request);
    }

    private static async Task Update(StoreClient client, Item existing, Action<UpdateItemRequest> spoil)
    {
        var request = ItemRequests.Replacement(existing);
        spoil(request);
        await client.UpdateItemAsync(request);
    }

    private static async Task Inventory(StoreClient client, Item existing, Action<UpdateInventoryRequest> spoil)
    {
        var request = new UpdateInventoryRequest { TenantId = existing.TenantId, Id = existing.Id, QuantityChange = -1 };
        spoil(request);
        await client.UpdateInventoryAsync(request);
    }

    private static async Task List(StoreClient client, Item existing, Action<ListItemsRequest> spoil)
    {
        var request = new ListItemsRequest { TenantId = existing.TenantId };
        spoil(request);
        await client.ListItemsAsync(request);
    }
}
