using System.Collections.Concurrent;
using CanaryDemo.Store.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Status = Grpc.Core.Status;

namespace CanaryDemo.ApiService.Tests.Infrastructure;

/// <summary>
/// An in-test store.v1.StoreService: records every call with its metadata and answers from
/// canned data, or as scripted per tenant (a gRPC status, or no answer until the deadline).
/// </summary>
public sealed class StoreDouble : StoreService.StoreServiceBase
{
    public static readonly Timestamp FixedTime = Timestamp.FromDateTime(new DateTime(2024, 1, 15, 10, 30, 0, DateTimeKind.Utc));
    public const string NextPageToken = "c2lnbmVk.dG9rZW4-_";

    private readonly ConcurrentDictionary<long, StoreScript> _scripts = new();
    private readonly ConcurrentQueue<ReceivedCall> _calls = new();

    public IReadOnlyList<ReceivedCall> Calls => [.. _calls];

    public IReadOnlyList<ReceivedCall> CallsFor(long tenantId) => [.. _calls.Where(call => call.TenantId == tenantId)];

    public void Script(long tenantId, StoreScript script) => _scripts[tenantId] = script;

    /// <summary>The example item of the original project (price 299.99), as stored for <paramref name="tenantId"/>.</summary>
    public static Item SeedItem(long tenantId, string id) => new()
    {
        Id = id,
        TenantId = tenantId,
        Name = "Wireless Headphones",
        Description = "Premium noise-canceling headphones",
        Price = new DecimalValue { Units = 299, Nanos = 990_000_000 },
        Category = ItemCategory.Electronics,
        Status = ItemStatus.OutOfStock,
        Sku = "WH-001",
        InventoryCount = 150,
        Tags = { "wireless", "noise-canceling", "premium" },
        CreatedAt = FixedTime,
        UpdatedAt = FixedTime,
        CreatedBy = "user123",
        UpdatedBy = "user123",
        Version = 3,
    };

    public override Task<CreateItemResponse> CreateItem(CreateItemRequest request, ServerCallContext context) =>
        Answer(request.TenantId, request, context, () => new CreateItemResponse
        {
            Item = new Item
            {
                Id = "0190b3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b",
                TenantId = request.TenantId,
                Name = request.Name,
                Description = request.Description,
                Price = request.Price,
                Category = request.Category,
                Status = request.Status,
                Sku = request.Sku,
                InventoryCount = request.InventoryCount,
                Tags = { request.Tags },
                CreatedAt = FixedTime,
                UpdatedAt = FixedTime,
                CreatedBy = request.CreatedBy,
                UpdatedBy = request.CreatedBy,
                Version = 1,
            },
        });

    public override Task<GetItemResponse> GetItem(GetItemRequest request, ServerCallContext context) =>
        Answer(request.TenantId, request, context, () => new GetItemResponse { Item = SeedItem(request.TenantId, request.Id) });

    public override Task<UpdateItemResponse> UpdateItem(UpdateItemRequest request, ServerCallContext context) =>
        Answer(request.TenantId, request, context, () =>
        {
            var item = SeedItem(request.TenantId, request.Id);
            item.Name = request.Name;
            item.Description = request.Description;
            item.Price = request.Price;
            item.Category = request.Category;
            item.Status = request.Status;
            item.Sku = request.Sku;
            item.Tags.Clear();
            item.Tags.Add(request.Tags);
            item.UpdatedBy = request.UpdatedBy;
            item.Version = 4;
            return new UpdateItemResponse { Item = item };
        });

    public override Task<DeleteItemResponse> DeleteItem(DeleteItemRequest request, ServerCallContext context) =>
        Answer(request.TenantId, request, context, () =>
        {
            var item = SeedItem(request.TenantId, request.Id);
            item.Status = ItemStatus.Discontinued;
            item.Version = 4;
            return new DeleteItemResponse { Item = item };
        });

    public override Task<ListItemsResponse> ListItems(ListItemsRequest request, ServerCallContext context) =>
        Answer(request.TenantId, request, context, () => new ListItemsResponse
        {
            Items = { SeedItem(request.TenantId, "0190b3c4-0000-7000-8000-000000000001"), SeedItem(request.TenantId, "0190b3c4-0000-7000-8000-000000000002") },
            // A first page has a successor; a continued listing is the last page.
            NextPageToken = request.PageToken.Length == 0 ? NextPageToken : string.Empty,
        });

    public override Task<UpdateInventoryResponse> UpdateInventory(UpdateInventoryRequest request, ServerCallContext context) =>
        Answer(request.TenantId, request, context, () =>
        {
            var item = SeedItem(request.TenantId, request.Id);
            item.InventoryCount += request.QuantityChange;
            item.UpdatedBy = request.UpdatedBy;
            item.Version = 4;
            return new UpdateInventoryResponse { Item = item, PreviousCount = 150 };
        });

    private async Task<TResponse> Answer<TResponse>(long tenantId, IMessage request, ServerCallContext context, Func<TResponse> answer)
    {
        var method = context.Method[(context.Method.LastIndexOf('/') + 1)..];
        _calls.Enqueue(new ReceivedCall(method, tenantId, request, context.RequestHeaders, context.Deadline, DateTime.UtcNow));
        if (!_scripts.TryGetValue(tenantId, out var script))
        {
            return answer();
        }

        if (script.StallUntilDeadline)
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }

        await Task.Delay(script.Delay, context.CancellationToken);
        if (script.FailWith is { } status && script.FieldViolations is { } violations)
        {
            var badRequest = new BadRequest();
            badRequest.FieldViolations.AddRange(violations.Select(v => new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }));
            throw new Google.Rpc.Status { Code = (int)status, Message = script.FailDetail, Details = { Any.Pack(badRequest) } }.ToRpcException();
        }

        if (script.FailWith is { } withReason && script.FailReason is { } reason)
        {
            var info = new ErrorInfo { Reason = reason, Domain = StoreFailureReasons.Domain };
            throw new Google.Rpc.Status { Code = (int)withReason, Message = script.FailDetail, Details = { Any.Pack(info) } }.ToRpcException();
        }

        if (script.FailWith is { } failure)
        {
            throw new RpcException(new Status(failure, script.FailDetail));
        }

        return answer();
    }
}
