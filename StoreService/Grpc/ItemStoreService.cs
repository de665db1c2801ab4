using CanaryDemo.Store.V1;
using CanaryDemo.StoreService.Data;
using CanaryDemo.StoreService.Items;
using CanaryDemo.StoreService.Paging;
using Grpc.Core;
using StoreApi = CanaryDemo.Store.V1.StoreService;

namespace CanaryDemo.StoreService.Grpc;

/// <summary><c>store.v1.StoreService</c>: validates each request, then runs it against the repository.</summary>
[BindServiceMethod(typeof(ItemStoreService), nameof(BindService))]
internal sealed partial class ItemStoreService(
    ItemRepository repository, PageTokenCodec pageTokens, RpcDiagnostics diagnostics,
    ILogger<ItemStoreService> logger) : StoreApi.StoreServiceBase
{
    /// <summary>
    /// How grpc-dotnet binds the service (found through the attribute above): the generated
    /// binding, with <see cref="RequestParsing"/>. The parameter is the generated base type,
    /// whose methods grpc-dotnet matches the handlers against.
    /// </summary>
    public static void BindService(ServiceBinderBase binder, StoreApi.StoreServiceBase? service) =>
        StoreApi.BindService(new RequestParsing(binder), service);

    public override async Task<CreateItemResponse> CreateItem(CreateItemRequest request, ServerCallContext context)
    {
        var item = await repository.CreateAsync(ItemRequestValidator.Validate(request), context.CancellationToken);
        return new CreateItemResponse { Item = item };
    }

    public override async Task<GetItemResponse> GetItem(GetItemRequest request, ServerCallContext context)
    {
        var (tenantId, id) = ItemRequestValidator.Validate(request);
        return new GetItemResponse { Item = await repository.GetAsync(tenantId, id, context.CancellationToken) };
    }

    public override async Task<UpdateItemResponse> UpdateItem(UpdateItemRequest request, ServerCallContext context)
    {
        var item = await repository.ReplaceAsync(ItemRequestValidator.Validate(request), context.CancellationToken);
        return new UpdateItemResponse { Item = item };
    }

    public override async Task<DeleteItemResponse> DeleteItem(DeleteItemRequest request, ServerCallContext context)
    {
        var item = await repository.DiscontinueAsync(ItemRequestValidator.Validate(request), context.CancellationToken);
        return new DeleteItemResponse { Item = item };
    }

    public override async Task<ListItemsResponse> ListItems(ListItemsRequest request, ServerCallContext context)
    {
        var query = ItemRequestValidator.Validate(request, pageTokens);
        var page = await repository.ListAsync(query, context.CancellationToken);
        diagnostics.ItemsRead = page.ItemsRead;
        diagnostics.ReadCapacityUnits = page.CapacityUnits;
        var response = new ListItemsResponse
        {
            NextPageToken = page.Next is { } next ? pageTokens.Encode(query.TenantId, query.Filter, next) : "",
        };
        response.Items.AddRange(page.Items);
        return response;
    }

    public override async Task<UpdateInventoryResponse> UpdateInventory(
        UpdateInventoryRequest request, ServerCallContext context)
    {
        var change = ItemRequestValidator.Validate(request);
        var (item, previousCount) = await repository.ChangeInventoryAsync(change, context.CancellationToken);
        LogInventoryChanged(logger, item.Id, previousCount, item.InventoryCount, change.Reason);
        return new UpdateInventoryResponse { Item = item, PreviousCount = previousCount };
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Inventory of {item_id:l} went from {previous_count} to {inventory_count}: {reason:l}")]
    private static partial void LogInventoryChanged(
        ILogger logger, string item_id, long previous_count, long inventory_count, string reason);
}
