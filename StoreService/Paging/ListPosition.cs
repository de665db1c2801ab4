using CanaryDemo.Store.V1;

namespace CanaryDemo.StoreService.Paging;

/// <summary>
/// The last item a list call evaluated. Together with the tenant and filter it rebuilds the
/// exclusive start key of any index, so tokens never carry raw DynamoDB keys.
/// </summary>
internal readonly record struct ListPosition(Guid ItemId, ItemCategory Category);
