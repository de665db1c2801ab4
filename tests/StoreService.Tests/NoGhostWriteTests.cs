using CanaryDemo.Store.V1;
using CanaryDemo.StoreService.Tests.Infrastructure;
using Grpc.Core;

namespace CanaryDemo.StoreService.Tests;

/// <summary>Writes to a missing id must never create a (partial) item.</summary>
[Collection(StoreCollection.Name)]
public sealed class NoGhostWriteTests(StoreFixture store)
{
    [Fact]
    public async Task Update_delete_and_inventory_on_a_missing_id_are_not_found_and_write_nothing()
    {
        var tenant = store.NewTenant();
        var missingId = ItemRequests.UnknownId();
        var replacement = ItemRequests.Replacement((await store.Client.CreateItemAsync(ItemRequests.NewItem(store.NewTenant()))).Item);
        replacement.TenantId = tenant;
        replacement.Id = missingId;

        var calls = new Func<Task>[]
        {
            async () => await store.Client.UpdateItemAsync(replacement),
            async () => await store.Client.UpdateItemAsync(new UpdateItemRequest(replacement) { ExpectedVersion = 1 }),
            async () => await store.Client.DeleteItemAsync(new DeleteItemRequest { TenantId = tenant, Id = missingId }),
            async () => await store.Client.UpdateInventoryAsync(
                new UpdateInventoryRequest { TenantId = tenant, Id = missingId, QuantityChange = 5 }),
            async () => await store.Client.UpdateInventoryAsync(
                new UpdateInventoryRequest { TenantId = tenant, Id = missingId, QuantityChange = -5 }),
            async () => await store.Client.UpdateInventoryAsync(new UpdateInventoryRequest
            {
                TenantId = tenant,
                Id = missingId,
                QuantityChange = 5,
                IdempotencyKey = "ghost",
            }),
        };
        foreach (var call in calls)
        {
            var error = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal(StatusCode.NotFound, error.StatusCode);
            Assert.Contains(missingId, error.Status.Detail);
        }

        Assert.Empty(await store.StoredRowsAsync(tenant));
        var get = await Assert.ThrowsAsync<RpcException>(
            async () => await store.Client.GetItemAsync(new GetItemRequest { TenantId = tenant, Id = missingId }));
        Assert.Equal(StatusCode.NotFound, get.StatusCode);
    }
}
