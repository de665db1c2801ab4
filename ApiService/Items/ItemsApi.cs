using System.ComponentModel;
using CanaryDemo.ApiService.Items.Contracts;
using CanaryDemo.ApiService.OpenApi;
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
    private const string ETagDescription = "The item's version as a strong entity tag (\"3\"), for If-Match.";
    private const string IdDescription = "The item's id, a UUID such as 0190b3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b.";
    private const string IfMatchRefused = "Not supported here (only PUT is conditional): a request with If-Match is refused with 400.";
    private const string IdempotencyKeyDescription =
        "Optional: up to 100 visible ASCII characters chosen by the client. A retry with the same key is applied once; send it on every retry of the same request.";

    public static IEndpointRouteBuilder MapItemsApi(this IEndpointRouteBuilder routes)
    {
        var items = routes.MapGroup("/api/v1/items")
            .WithTags("Items")
            .RequireCaller()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);

        items.MapPost("/", CreateItem).WithName(nameof(CreateItem))
            .WithSummary("Create an item")
            .WithDescription("Creates an item of the calling tenant with a new UUIDv7 id and version 1. With an Idempotency-Key the id is derived from tenant and key, so a retry returns the item created first instead of a second one; the same key with another body is 422.")
            .WithResponseHeader(StatusCodes.Status201Created, "Location", "The item's URL, /api/v1/items/{id}.")
            .WithResponseHeader(StatusCodes.Status201Created, "ETag", ETagDescription)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        items.MapGet("/{id}", GetItem).WithName(nameof(GetItem))
            .WithSummary("Get an item")
            .WithDescription("Returns one item of the calling tenant; another tenant's item is indistinguishable from a missing one (404).")
            .WithResponseHeader(StatusCodes.Status200OK, "ETag", ETagDescription)
            .ProducesProblem(StatusCodes.Status404NotFound);
        items.MapPut("/{id}", UpdateItem).WithName(nameof(UpdateItem))
            .WithSummary("Replace an item")
            .WithDescription("Replaces every mutable field of an existing item (never creates one) and bumps its version. With If-Match the update applies only to that version (412 otherwise). The inventory count changes only through the inventory endpoint.")
            .WithResponseHeader(StatusCodes.Status200OK, "ETag", ETagDescription)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        items.MapDelete("/{id}", DeleteItem).WithName(nameof(DeleteItem))
            .WithSummary("Discontinue an item")
            .WithDescription("Soft delete: the item's status becomes discontinued; it stays readable and keeps its history.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        items.MapGet("/", ListItems).WithName(nameof(ListItems))
            .AddOpenApiOperationTransformer(ListQuery.DescribeParameters)
            .WithSummary("List items")
            .WithDescription("Lists the calling tenant's items in a stable order, optionally filtered by category and status (index queries) and by a case-insensitive search of name and description. A search reads a bounded number of items per call, so a page may be short, even empty, while next_page_token is set: follow the token until it is null.");
        items.MapPatch("/{id}/inventory", UpdateInventory).WithName(nameof(UpdateInventory))
            .WithSummary("Change an item's inventory")
            .WithDescription("Adds quantity_change (negative for a sale) to the inventory count in one atomic step: concurrent changes are never lost and the count never goes below 0 (409). With an Idempotency-Key a retried change is applied once.")
            .WithResponseHeader(StatusCodes.Status200OK, "ETag", ETagDescription)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return routes;
    }

    public static async Task<Results<Created<ItemResponse>, ValidationProblem>> CreateItem(
        CreateItemRequest request,
        RequestCaller caller,
        [FromHeader(Name = RequestHeaders.IdempotencyKey), Description(IdempotencyKeyDescription)] string? idempotencyKey,
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
        [Description(IdDescription)] string id,
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
        [Description(IdDescription)] string id,
        UpdateItemRequest request,
        RequestCaller caller,
        [FromHeader(Name = RequestHeaders.IfMatch), Description("Optional: the ETag of the version the update is for; * or absent means any version.")] string? ifMatch,
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
        [Description(IdDescription)] string id,
        RequestCaller caller,
        [FromHeader(Name = RequestHeaders.IfMatch), Description(IfMatchRefused)] string? ifMatch,
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
        [Description("Only items of this category: electronics, clothing, books, home or sports.")] string? category,
        [Description("Only items of this status: active, inactive, out_of_stock or discontinued.")] string? status,
        [Description("Only items whose name or description contains this text, case-insensitively (at most 100 characters).")] string? search,
        [FromQuery(Name = "page_size"), Description("Items per page, 1 to 100; 20 when absent.")] string? pageSize,
        [FromQuery(Name = "page_token"), Description("next_page_token of the previous page, with the same filters; absent for the first page.")] string? pageToken,
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
        [Description(IdDescription)] string id,
        InventoryChangeRequest request,
        RequestCaller caller,
        [FromHeader(Name = RequestHeaders.IdempotencyKey), Description(IdempotencyKeyDescription)] string? idempotencyKey,
        [FromHeader(Name = RequestHeaders.IfMatch), Description(IfMatchRefused)] string? ifMatch,
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
