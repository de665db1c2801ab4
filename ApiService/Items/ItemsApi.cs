using CanaryDemo.ApiService.Items.Contracts;
using CanaryDemo.ApiService.Problems;
using CanaryDemo.ApiService.Requests;
using CanaryDemo.Store.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using CreateItemRequest = CanaryDemo.ApiService.Items.Contracts.CreateItemRequest;
using UpdateItemRequest = CanaryDemo.ApiService.Items.Contracts.UpdateItemRequest;

namespace CanaryDemo.ApiService.Items;

/// <summary>
/// <c>/api/v1/items</c>. Handlers check what only the HTTP request shows (headers, what the
/// store's message cannot carry), call the store once and map the answer. The store judges every
/// item rule; a failed store call, its InvalidArgument included, surfaces as
/// <see cref="Grpc.Core.RpcException"/> and becomes problem details in <see cref="ApiExceptionHandler"/>.
/// </summary>
internal static class ItemsApi
{
    public static IEndpointRouteBuilder MapItemsApi(this IEndpointRouteBuilder routes)
    {
        var items = routes.MapGroup("/api/v1/items")
            .WithTags("Items")
            .RequireCaller()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);

        items.MapPost("/", CreateItem).WithName(nameof(CreateItem))
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        items.MapGet("/{id}", GetItem).WithName(nameof(GetItem))
            .ProducesProblem(StatusCodes.Status404NotFound);
        items.MapPut("/{id}", UpdateItem).WithName(nameof(UpdateItem))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        items.MapDelete("/{id}", DeleteItem).WithName(nameof(DeleteItem))
            .ProducesProblem(StatusCodes.Status404NotFound);
        items.MapGet("/", ListItems).WithName(nameof(ListItems));
        items.MapPatch("/{id}/inventory", UpdateInventory).WithName(nameof(UpdateInventory))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return routes;
    }

    public static async Task<Results<Created<ItemResponse>, ValidationProblem>> CreateItem(
        CreateItemRequest request,
        RequestCaller caller,
        [FromHeader(Name = RequestHeaders.IdempotencyKey)] string? idempotencyKey,
        StoreService.StoreServiceClient store,
        HttpResponse response,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var key = IdempotencyKeys.Read(idempotencyKey, errors);
        var message = ItemMapper.ToProto(request, caller, key, errors);
        if (!errors.IsEmpty)
        {
            return ValidationProblem(errors);
        }

        var created = await store.CreateItemAsync(message, cancellationToken: cancellationToken);
        response.Headers.ETag = EntityTags.FromVersion(created.Item.Version);
        return TypedResults.Created($"/api/v1/items/{created.Item.Id}", ItemMapper.ToResponse(created.Item));
    }

    public static async Task<Ok<ItemResponse>> GetItem(
        string id,
        RequestCaller caller,
        StoreService.StoreServiceClient store,
        HttpResponse response,
        CancellationToken cancellationToken)
    {
        var found = await store.GetItemAsync(new GetItemRequest { TenantId = caller.TenantId, Id = id }, cancellationToken: cancellationToken);
        response.Headers.ETag = EntityTags.FromVersion(found.Item.Version);
        return TypedResults.Ok(ItemMapper.ToResponse(found.Item));
    }

    public static async Task<Results<Ok<ItemResponse>, ValidationProblem>> UpdateItem(
        string id,
        UpdateItemRequest request,
        RequestCaller caller,
        [FromHeader(Name = RequestHeaders.IfMatch)] string? ifMatch,
        StoreService.StoreServiceClient store,
        HttpResponse response,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var expectedVersion = EntityTags.ParseIfMatch(ifMatch, errors);
        var message = ItemMapper.ToProto(id, request, caller, expectedVersion, errors);
        if (!errors.IsEmpty)
        {
            return ValidationProblem(errors);
        }

        var updated = await store.UpdateItemAsync(message, cancellationToken: cancellationToken);
        response.Headers.ETag = EntityTags.FromVersion(updated.Item.Version);
        return TypedResults.Ok(ItemMapper.ToResponse(updated.Item));
    }

    public static async Task<Results<NoContent, ValidationProblem>> DeleteItem(
        string id,
        RequestCaller caller,
        [FromHeader(Name = RequestHeaders.IfMatch)] string? ifMatch,
        StoreService.StoreServiceClient store,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        EntityTags.RefuseIfMatch(ifMatch, errors);
        if (!errors.IsEmpty)
        {
            return ValidationProblem(errors);
        }

        await store.DeleteItemAsync(
            new DeleteItemRequest { TenantId = caller.TenantId, Id = id, UpdatedBy = caller.UserId }, cancellationToken: cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<ItemPage>, ValidationProblem>> ListItems(
        RequestCaller caller,
        string? category,
        string? status,
        string? search,
        [FromQuery(Name = "page_size")] string? pageSize,
        [FromQuery(Name = "page_token")] string? pageToken,
        StoreService.StoreServiceClient store,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var query = ListQuery.Parse(category, status, search, pageSize, pageToken, errors);
        if (!errors.IsEmpty)
        {
            return ValidationProblem(errors);
        }

        var page = await store.ListItemsAsync(ItemMapper.ToProto(query, caller), cancellationToken: cancellationToken);
        return TypedResults.Ok(ItemMapper.ToResponse(page));
    }

    public static async Task<Results<Ok<InventoryChangeResponse>, ValidationProblem, ProblemHttpResult>> UpdateInventory(
        string id,
        InventoryChangeRequest request,
        RequestCaller caller,
        [FromHeader(Name = RequestHeaders.IdempotencyKey)] string? idempotencyKey,
        [FromHeader(Name = RequestHeaders.IfMatch)] string? ifMatch,
        StoreService.StoreServiceClient store,
        HttpResponse response,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        EntityTags.RefuseIfMatch(ifMatch, errors);
        var key = IdempotencyKeys.Read(idempotencyKey, errors);
        var message = ItemMapper.ToProto(id, request, caller, key, errors);
        if (!errors.IsEmpty)
        {
            return ValidationProblem(errors);
        }

        try
        {
            var changed = await store.UpdateInventoryAsync(message, cancellationToken: cancellationToken);
            response.Headers.ETag = EntityTags.FromVersion(changed.Item.Version);
            return TypedResults.Ok(new InventoryChangeResponse(ItemMapper.ToResponse(changed.Item), changed.PreviousCount));
        }
        catch (RpcException exception) when (exception.StatusCode == StatusCode.FailedPrecondition)
        {
            // The store refuses a change that would take the count below 0 or above its maximum;
            // the sign of the change tells which.
            return TypedResults.Problem(request.QuantityChange < 0 ? ApiProblems.InsufficientInventory() : ApiProblems.InventoryLimitExceeded());
        }
    }

    private static ValidationProblem ValidationProblem(FieldErrors errors) =>
        TypedResults.ValidationProblem(errors.ToDictionary(), title: ApiProblems.ValidationTitle, type: ProblemTypes.ValidationFailed);
}
