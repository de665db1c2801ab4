using CanaryDemo.Store.V1;
using CanaryDemo.StoreService.Tests.Infrastructure;
using Xunit.Abstractions;

namespace CanaryDemo.StoreService.Tests;

[Collection(StoreCollection.Name)]
public sealed class PaginationTests(StoreFixture store, ITestOutputHelper output)
{
    private static readonly string[] Colors = ["Red", "Blue", "Green", "Amber", "Violet", "Teal", "Black"];
    private static readonly ItemCategory[] Categories =
        [ItemCategory.Electronics, ItemCategory.Clothing, ItemCategory.Books, ItemCategory.Home, ItemCategory.Sports];
    private static readonly ItemStatus[] Statuses =
        [ItemStatus.Active, ItemStatus.Inactive, ItemStatus.OutOfStock, ItemStatus.Discontinued];

    private static readonly SemaphoreSlim SeedLock = new(1);
    private static (long Tenant, List<Item> Items)? _catalog;

    public static TheoryData<string, ItemCategory, ItemStatus, string, int> Walks => new()
    {
        { "everything", ItemCategory.Unspecified, ItemStatus.Unspecified, "", 37 },
        { "default page size", ItemCategory.Unspecified, ItemStatus.Unspecified, "", 0 },
        { "category", ItemCategory.Books, ItemStatus.Unspecified, "", 20 },
        { "status", ItemCategory.Unspecified, ItemStatus.OutOfStock, "", 30 },
        { "category and status", ItemCategory.Sports, ItemStatus.Inactive, "", 7 },
        { "search in names, other case", ItemCategory.Unspecified, ItemStatus.Unspecified, "bLuE", 20 },
        { "search in descriptions", ItemCategory.Unspecified, ItemStatus.Unspecified, "EDITION", 9 },
        { "search with category and status", ItemCategory.Home, ItemStatus.Active, "widget 0", 5 },
        { "search without match", ItemCategory.Unspecified, ItemStatus.Unspecified, "no such thing", 20 },
    };

    [Theory]
    [MemberData(nameof(Walks))]
    public async Task Walking_all_pages_returns_every_match_once_in_index_order_with_full_filtered_pages(
        string walk, ItemCategory category, ItemStatus status, string search, int pageSize)
    {
        var (tenant, items) = await CatalogAsync();
        var expected = items
            .Where(item => category == ItemCategory.Unspecified || item.Category == category)
            .Where(item => status == ItemStatus.Unspecified || item.Status == status)
            .Where(item => item.Name.Contains(search, StringComparison.OrdinalIgnoreCase) ||
                           item.Description.Contains(search, StringComparison.OrdinalIgnoreCase))
            .OrderBy(item => status == ItemStatus.Unspecified ? "" : item.Category.ToString().ToLowerInvariant(), StringComparer.Ordinal)
            .ThenBy(item => item.Id, StringComparer.Ordinal)
            .Select(item => item.Id)
            .ToList();

        var pages = new List<List<Item>>();
        var token = "";
        do
        {
            var request = new ListItemsRequest
            {
                TenantId = tenant,
                Category = category,
                Status = status,
                Search = search,
                PageToken = token,
            };
            if (pageSize > 0)
            {
                request.PageSize = pageSize;
            }

            var page = await store.Client.ListItemsAsync(request);
            pages.Add([.. page.Items]);
            token = page.NextPageToken;
            Assert.True(pages.Count <= 1000 / Math.Max(pageSize, 1) + 2, "the walk does not end");
        }
        while (token.Length > 0);

        output.WriteLine($"{walk}: {expected.Count} matches in {pages.Count} pages");
        Assert.Equal(expected, pages.SelectMany(page => page).Select(item => item.Id));
        Assert.All(pages, page => Assert.InRange(page.Count, 0, pageSize > 0 ? pageSize : 20));
        // Filtered pages are full; a search page may be short (even empty) with a token when its
        // call ran out of items to read or, on a slow engine, of time.
        if (search.Length == 0)
        {
            Assert.All(pages[..^1], page => Assert.Equal(pageSize > 0 ? pageSize : 20, page.Count));
            Assert.NotEmpty(pages[^1]); // the extra item read per page proves whether another page exists
        }
    }

    /// <summary>1,000 items of one tenant spread over every category, status, color and edition.</summary>
    private async Task<(long Tenant, List<Item> Items)> CatalogAsync()
    {
        await SeedLock.WaitAsync();
        try
        {
            if (_catalog is null)
            {
                var tenant = store.NewTenant();
                var started = System.Diagnostics.Stopwatch.StartNew();
                var items = await Seeding.CreateAsync(store.Client, 1000, i => new CreateItemRequest
                {
                    TenantId = tenant,
                    Name = $"{Colors[i % Colors.Length]} widget {i:0000}",
                    Description = i % 11 == 0 ? "Limited edition" : "Everyday item",
                    Price = ItemRequests.Price(i, 990_000_000),
                    Category = Categories[i % Categories.Length],
                    Status = Statuses[i / Categories.Length % Statuses.Length],
                    InventoryCount = i,
                });
                output.WriteLine($"Seeded 1,000 items in {started.Elapsed.TotalSeconds:0.0} s");
                _catalog = (tenant, items);
            }

            return _catalog.Value;
        }
        finally
        {
            SeedLock.Release();
        }
    }
}
