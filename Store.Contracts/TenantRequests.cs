namespace CanaryDemo.Store.V1;

/// <summary>A request scoped to one tenant; lets cross-cutting code (logging) read the tenant.</summary>
public interface ITenantRequest
{
    long TenantId { get; }
}

// The generated request messages are partial classes.
public sealed partial class CreateItemRequest : ITenantRequest;

public sealed partial class GetItemRequest : ITenantRequest;

public sealed partial class UpdateItemRequest : ITenantRequest;

public sealed partial class DeleteItemRequest : ITenantRequest;

public sealed partial class ListItemsRequest : ITenantRequest;

public sealed partial class UpdateInventoryRequest : ITenantRequest;
