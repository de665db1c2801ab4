using CanaryDemo.StoreService.Items;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using GrpcStatus = Grpc.Core.Status;

namespace CanaryDemo.StoreService.Grpc;

/// <summary>Every non-OK status the store returns, with messages that are safe to show to callers.</summary>
internal static class StoreErrors
{
    /// <summary>
    /// InvalidArgument whose message lists <c>field: problem</c> pairs; the same violations travel
    /// as a <c>google.rpc.BadRequest</c> detail for callers that map them to their own error format.
    /// </summary>
    public static RpcException InvalidArgument(IReadOnlyList<FieldError> errors)
    {
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(errors.Select(
            error => new BadRequest.Types.FieldViolation { Field = error.Field, Description = error.Message }));
        return new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = string.Join("; ", errors.Select(error => $"{error.Field}: {error.Message}")),
            Details = { Any.Pack(badRequest) },
        }.ToRpcException();
    }

    public static RpcException ItemNotFound(Guid id) =>
        new(new GrpcStatus(StatusCode.NotFound, $"item {ItemIds.Format(id)} not found"));

    public static RpcException VersionMismatch(long expected, long current) =>
        new(new GrpcStatus(StatusCode.Aborted, $"expected_version {expected} does not match the current version {current}"));

    public static RpcException InsufficientInventory(long inStock, long requested) =>
        new(new GrpcStatus(StatusCode.FailedPrecondition,
            $"insufficient inventory: {inStock} in stock, {requested} requested"));

    public static RpcException InventoryAboveMaximum(long inStock, long added) =>
        new(new GrpcStatus(StatusCode.FailedPrecondition,
            $"inventory_count would exceed {ItemLimits.InventoryMaximum}: {inStock} in stock, {added} added"));

    public static RpcException IdempotencyKeyReused() =>
        new(new GrpcStatus(StatusCode.AlreadyExists,
            "idempotency_key was already used to create an item with different content"));

    public static RpcException ItemAlreadyExists(Guid id) =>
        new(new GrpcStatus(StatusCode.AlreadyExists, $"item {ItemIds.Format(id)} already exists"));

    public static RpcException StoreUnavailable() =>
        new(new GrpcStatus(StatusCode.Unavailable, "the item store is unavailable; retry later"));

    public static RpcException Internal() =>
        new(new GrpcStatus(StatusCode.Internal, "internal error"));
}
