using System.Globalization;
using CanaryDemo.Store.V1;
using CanaryDemo.StoreService.Tests.Infrastructure;
using Grpc.Core;

namespace CanaryDemo.StoreService.Tests;

[Collection(StoreCollection.Name)]
public sealed class CrudTests(StoreFixture store)
{
    [Fact]
    public async Task Create_get_update_delete_round_trip_every_field_and_bump_the_version()
    {
        var tenant = store.NewTenant();
        var before = DateTimeOffset.UtcNow;

        var created = (await store.Client.CreateItemAsync(ItemRequests.NewItem(tenant))).Item;

        Assert.True(Guid.TryParseExact(created.Id, "D", out var id));
        Assert.Equal(7, id.Version);
        Assert.Equal(tenant, created.TenantId);
        Assert.Equal("Wireless Headphones", created.Name);
        Assert.Equal("Premium noise-canceling headphones", created.Description);
        Assert.Equal(ItemRequests.Price(299, 990_000_000), created.Price);
        Assert.Equal(ItemCategory.Electronics, created.Category);
        Assert.Equal(ItemStatus.Active, created.Status);
        Assert.Equal("WH-001", created.Sku);
        Assert.Equal(150, created.InventoryCount);
        Assert.Equal(["wireless", "noise-canceling", "premium"], created.Tags);
        Assert.Equal("user123", created.CreatedBy);
        Assert.Equal("user123", created.UpdatedBy);
        Assert.Equal(1, created.Version);
        Assert.InRange(created.CreatedAt.ToDateTimeOffset(), before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(created.CreatedAt, created.UpdatedAt);

        var fetched = (await store.GetItemAsync(tenant, created.Id));
        Assert.Equal(created, fetched);

        var replacement = new UpdateItemRequest
        {
            TenantId = tenant,
            Id = created.Id,
            Name = "Wired Headphones",
            Description = "Studio headphones",
            Price = ItemRequests.Price(0, 100_000_000),
            Category = ItemCategory.Home,
            Status = ItemStatus.OutOfStock,
            Sku = "WH-002",
            Tags = { "wired" },
            UpdatedBy = "editor7",
            ExpectedVersion = 1,
        };
        var updated = (await store.Client.UpdateItemAsync(replacement)).Item;

        Assert.Equal(created.Id, updated.Id);
        Assert.Equal("Wired Headphones", updated.Name);
        Assert.Equal("Studio headphones", updated.Description);
        Assert.Equal(ItemRequests.Price(0, 100_000_000), updated.Price);
        Assert.Equal(ItemCategory.Home, updated.Category);
        Assert.Equal(ItemStatus.OutOfStock, updated.Status);
        Assert.Equal("WH-002", updated.Sku);
        Assert.Equal(["wired"], updated.Tags);
        Assert.Equal(150, updated.InventoryCount);
        Assert.Equal("user123", updated.CreatedBy);
        Assert.Equal("editor7", updated.UpdatedBy);
        Assert.Equal(created.CreatedAt, updated.CreatedAt);
        Assert.True(updated.UpdatedAt >= created.UpdatedAt);
        Assert.Equal(2, updated.Version);
        Assert.Equal(updated, (await store.GetItemAsync(tenant, created.Id)));

        var deleted = (await store.Client.DeleteItemAsync(
            new DeleteItemRequest { TenantId = tenant, Id = created.Id, UpdatedBy = "admin" })).Item;

        Assert.Equal(ItemStatus.Discontinued, deleted.Status);
        Assert.Equal("admin", deleted.UpdatedBy);
        Assert.Equal(3, deleted.Version);
        Assert.Equal(deleted, (await store.GetItemAsync(tenant, created.Id)));
    }

    [Fact]
    public async Task Prices_are_stored_and_returned_as_exact_decimals()
    {
        var tenant = store.NewTenant();
        var cheap = ItemRequests.NewItem(tenant, "Sticker");
        cheap.Price = ItemRequests.Price(0, 100_000_000);
        var dear = ItemRequests.NewItem(tenant, "Headphones");
        dear.Price = ItemRequests.Price(299, 990_000_000);
        var free = ItemRequests.NewItem(tenant, "Flyer");
        free.Price = ItemRequests.Price(0, 0);

        var created = new[]
        {
            (await store.Client.CreateItemAsync(cheap)).Item,
            (await store.Client.CreateItemAsync(dear)).Item,
            (await store.Client.CreateItemAsync(free)).Item,
        };

        Assert.Equal(ItemRequests.Price(0, 100_000_000), created[0].Price);
        Assert.Equal(ItemRequests.Price(299, 990_000_000), created[1].Price);
        Assert.Equal(ItemRequests.Price(0, 0), created[2].Price);
        // In the table the price is a DynamoDB number written from decimal text: no binary floating point.
        var stored = (await store.StoredRowsAsync(tenant)).ToDictionary(
            row => row["name"].S, row => decimal.Parse(row["price"].N, CultureInfo.InvariantCulture));
        Assert.Equal(0.10m, stored["Sticker"]);
        Assert.Equal(299.99m, stored["Headphones"]);
        Assert.Equal(0m, stored["Flyer"]);
        foreach (var item in created)
        {
            Assert.Equal(item.Price, (await store.GetItemAsync(tenant, item.Id)).Price);
        }
    }

    [Fact]
    public async Task Create_without_status_makes_an_active_item_and_update_without_expected_version_applies()
    {
        var tenant = store.NewTenant();
        var request = ItemRequests.NewItem(tenant);
        request.Status = ItemStatus.Unspecified;
        request.Tags.Clear();

        var created = (await store.Client.CreateItemAsync(request)).Item;
        Assert.Equal(ItemStatus.Active, created.Status);
        Assert.Empty(created.Tags);

        var replacement = ItemRequests.Replacement(created);
        replacement.Name = "Renamed";
        var updated = (await store.Client.UpdateItemAsync(replacement)).Item;
        Assert.Equal("Renamed", updated.Name);
        Assert.Equal(2, updated.Version);
    }

    [Fact]
    public async Task Update_with_a_stale_expected_version_is_aborted_and_changes_nothing()
    {
        var tenant = store.NewTenant();
        var created = (await store.Client.CreateItemAsync(ItemRequests.NewItem(tenant))).Item;
        var first = ItemRequests.Replacement(created);
        first.ExpectedVersion = 1;
        await store.Client.UpdateItemAsync(first);

        var stale = ItemRequests.Replacement(created);
        stale.Name = "Lost update";
        stale.ExpectedVersion = 1;
        var error = await Assert.ThrowsAsync<RpcException>(async () => await store.Client.UpdateItemAsync(stale));

        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        Assert.Contains("current version 2", error.Status.Detail);
        var current = (await store.GetItemAsync(tenant, created.Id));
        Assert.Equal(created.Name, current.Name);
        Assert.Equal(2, current.Version);
    }

    [Fact]
    public async Task Inventory_changes_return_the_previous_count_and_bump_the_version()
    {
        var tenant = store.NewTenant();
        var created = (await store.Client.CreateItemAsync(ItemRequests.NewItem(tenant))).Item;

        var removed = await store.Client.UpdateInventoryAsync(new UpdateInventoryRequest
        {
            TenantId = tenant,
            Id = created.Id,
            QuantityChange = -5,
            Reason = "Sale completed",
            UpdatedBy = "cashier123",
        });
        Assert.Equal(150, removed.PreviousCount);
        Assert.Equal(145, removed.Item.InventoryCount);
        Assert.Equal("cashier123", removed.Item.UpdatedBy);
        Assert.Equal(2, removed.Item.Version);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await store.Client.UpdateInventoryAsync(
            new UpdateInventoryRequest { TenantId = tenant, Id = created.Id, QuantityChange = -146 }));
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("145 in stock", error.Status.Detail);
        Assert.Equal(145, (await store.GetItemAsync(tenant, created.Id)).InventoryCount);
    }
}
