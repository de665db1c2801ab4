using CanaryDemo.Store.V1;
using CanaryDemo.StoreService.Tests.Infrastructure;
using Grpc.Core;

namespace CanaryDemo.StoreService.Tests;

[Collection(StoreCollection.Name)]
public sealed class IdempotencyTests(StoreFixture store)
{
    [Fact]
    public async Task A_retried_create_with_the_same_key_returns_the_same_item_and_writes_one()
    {
        var tenant = store.NewTenant();
        var request = ItemRequests.NewItem(tenant);
        request.IdempotencyKey = "create-7f3a";

        var first = (await store.Client.CreateItemAsync(request)).Item;
        var retried = await Task.WhenAll(Enumerable.Range(0, 5).Select(
            async _ => (await store.Client.CreateItemAsync(request)).Item));

        Assert.All(retried, item => Assert.Equal(first, item));
        Assert.Single(await store.StoredRowsAsync(tenant));
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_already_exists_and_changes_nothing()
    {
        var tenant = store.NewTenant();
        var request = ItemRequests.NewItem(tenant);
        request.IdempotencyKey = "create-91bc";
        var first = (await store.Client.CreateItemAsync(request)).Item;

        var other = request.Clone();
        other.Price = ItemRequests.Price(1, 0);
        var error = await Assert.ThrowsAsync<RpcException>(async () => await store.Client.CreateItemAsync(other));

        Assert.Equal(StatusCode.AlreadyExists, error.StatusCode);
        Assert.Contains("idempotency_key", error.Status.Detail);
        Assert.Equal(first, (await store.GetItemAsync(tenant, first.Id)));
        Assert.Single(await store.StoredRowsAsync(tenant));
    }

    [Fact]
    public async Task The_same_key_in_another_tenant_creates_a_separate_item()
    {
        var (tenantA, tenantB) = (store.NewTenant(), store.NewTenant());
        var requestA = ItemRequests.NewItem(tenantA);
        requestA.IdempotencyKey = "shared-key";
        var requestB = ItemRequests.NewItem(tenantB);
        requestB.IdempotencyKey = "shared-key";

        var itemA = (await store.Client.CreateItemAsync(requestA)).Item;
        var itemB = (await store.Client.CreateItemAsync(requestB)).Item;

        Assert.NotEqual(itemA.Id, itemB.Id);
        Assert.Equal(tenantB, itemB.TenantId);
    }

    [Fact]
    public async Task An_inventory_change_with_a_key_is_applied_once_however_often_it_is_sent()
    {
        var tenant = store.NewTenant();
        var item = (await store.Client.CreateItemAsync(ItemRequests.NewItem(tenant))).Item;
        var change = new UpdateInventoryRequest
        {
            TenantId = tenant,
            Id = item.Id,
            QuantityChange = -5,
            Reason = "Sale completed",
            IdempotencyKey = "sale-0001",
        };

        var first = await store.Client.UpdateInventoryAsync(change);
        var retries = await Task.WhenAll(Enumerable.Range(0, 10).Select(
            async _ => await store.Client.UpdateInventoryAsync(change)));

        Assert.Equal(150, first.PreviousCount);
        Assert.Equal(145, first.Item.InventoryCount);
        Assert.All(retries, retry =>
        {
            Assert.Equal(145, retry.Item.InventoryCount);
            Assert.Equal(145, retry.PreviousCount); // this call changed nothing
            Assert.Equal(2, retry.Item.Version);
        });

        var next = await store.Client.UpdateInventoryAsync(new UpdateInventoryRequest
        {
            TenantId = tenant,
            Id = item.Id,
            QuantityChange = -5,
            IdempotencyKey = "sale-0002",
        });
        Assert.Equal(140, next.Item.InventoryCount);
        Assert.Equal(140, (await store.GetItemAsync(tenant, item.Id)).InventoryCount);
    }
}
