using CanaryDemo.Store.V1;
using CanaryDemo.StoreService.Tests.Infrastructure;
using Grpc.Core;

namespace CanaryDemo.StoreService.Tests;

[Collection(StoreCollection.Name)]
public sealed class TenantIsolationTests(StoreFixture store)
{
    [Fact]
    public async Task Every_operation_on_another_tenants_item_is_not_found_and_changes_nothing()
    {
        var (owner, intruder) = (store.NewTenant(), store.NewTenant());
        var item = (await store.Client.CreateItemAsync(ItemRequests.NewItem(owner))).Item;
        var replacement = ItemRequests.Replacement(item);
        replacement.TenantId = intruder;

        var calls = new Func<Task>[]
        {
            async () => await store.Client.GetItemAsync(new GetItemRequest { TenantId = intruder, Id = item.Id }),
            async () => await store.Client.UpdateItemAsync(replacement),
            async () => await store.Client.DeleteItemAsync(new DeleteItemRequest { TenantId = intruder, Id = item.Id }),
            async () => await store.Client.UpdateInventoryAsync(
                new UpdateInventoryRequest { TenantId = intruder, Id = item.Id, QuantityChange = -1 }),
        };
        foreach (var call in calls)
        {
            var error = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal(StatusCode.NotFound, error.StatusCode);
        }

        Assert.Equal(item, (await store.GetItemAsync(owner, item.Id)));
        Assert.Empty(await store.StoredRowsAsync(intruder));
    }

    [Fact]
    public async Task A_list_never_shows_another_tenants_items()
    {
        var (tenantA, tenantB) = (store.NewTenant(), store.NewTenant());
        for (var i = 0; i < 3; i++)
        {
            await store.Client.CreateItemAsync(ItemRequests.NewItem(tenantA, $"A item {i}"));
        }

        var itemB = (await store.Client.CreateItemAsync(ItemRequests.NewItem(tenantB, "B item"))).Item;

        var listB = await store.Client.ListItemsAsync(new ListItemsRequest { TenantId = tenantB });
        var listBElectronics = await store.Client.ListItemsAsync(
            new ListItemsRequest { TenantId = tenantB, Category = ItemCategory.Electronics, Search = "item" });

        Assert.Equal([itemB.Id], listB.Items.Select(item => item.Id));
        Assert.Equal([itemB.Id], listBElectronics.Items.Select(item => item.Id));
        Assert.Empty((await store.Client.ListItemsAsync(new ListItemsRequest { TenantId = store.NewTenant() })).Items);
    }

    [Fact]
    public async Task Page_tokens_are_bound_to_tenant_and_filter_and_cannot_be_tampered_with()
    {
        var (tenantA, tenantB) = (store.NewTenant(), store.NewTenant());
        for (var i = 0; i < 3; i++)
        {
            await store.Client.CreateItemAsync(ItemRequests.NewItem(tenantA, $"Lamp {i}"));
        }

        var first = await store.Client.ListItemsAsync(new ListItemsRequest
        {
            TenantId = tenantA,
            Category = ItemCategory.Electronics,
            Search = "lamp",
            PageSize = 1,
        });
        var token = first.NextPageToken;
        Assert.NotEmpty(token);

        // The token works for the request it was issued for, also with the search term in other case.
        var second = await store.Client.ListItemsAsync(new ListItemsRequest
        {
            TenantId = tenantA,
            Category = ItemCategory.Electronics,
            Search = "LAMP",
            PageSize = 1,
            PageToken = token,
        });
        Assert.Single(second.Items);
        Assert.NotEqual(first.Items[0].Id, second.Items[0].Id);

        var rejected = new Dictionary<string, ListItemsRequest>
        {
            ["another tenant"] = new() { TenantId = tenantB, Category = ItemCategory.Electronics, Search = "lamp", PageToken = token },
            ["another category"] = new() { TenantId = tenantA, Category = ItemCategory.Books, Search = "lamp", PageToken = token },
            ["no category"] = new() { TenantId = tenantA, Search = "lamp", PageToken = token },
            ["a status added"] = new()
            {
                TenantId = tenantA,
                Category = ItemCategory.Electronics,
                Status = ItemStatus.Active,
                Search = "lamp",
                PageToken = token,
            },
            ["another search"] = new() { TenantId = tenantA, Category = ItemCategory.Electronics, Search = "lam", PageToken = token },
            ["tampered"] = new() { TenantId = tenantA, Category = ItemCategory.Electronics, Search = "lamp", PageToken = Tamper(token) },
            ["truncated"] = new() { TenantId = tenantA, Category = ItemCategory.Electronics, Search = "lamp", PageToken = token[..^4] },
        };
        foreach (var (name, request) in rejected)
        {
            var error = await Assert.ThrowsAsync<RpcException>(async () => await store.Client.ListItemsAsync(request));
            Assert.True(error.StatusCode == StatusCode.InvalidArgument, $"{name}: {error.Status}");
            Assert.StartsWith("page_token:", error.Status.Detail);
        }
    }

    /// <summary>Flips one bit in the middle of the token's payload.</summary>
    private static string Tamper(string token)
    {
        var bytes = System.Buffers.Text.Base64Url.DecodeFromChars(token);
        bytes[12] ^= 0x01;
        return System.Buffers.Text.Base64Url.EncodeToString(bytes);
    }
}
