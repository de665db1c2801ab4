using CanaryDemo.Store.V1;
using CanaryDemo.StoreService.Data;
using CanaryDemo.StoreService.Items;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using GrpcStatus = Grpc.Core.Status;

namespace CanaryDemo.StoreService.Grpc;

/// <summary>Every non-OK status the store returns, with messages that are safe to show to callers.</summary>
internal static class StoreErrors
{
    /// <summary>The status of each way the domain refuses a request.</summary>
    public static RpcException From(ItemRejection rejection) => rejection switch
    {
        InvalidItemRequest invalid => InvalidArgument(invalid.Errors),
        ItemNotFound notFound => Error(StatusCode.NotFound, $"item {ItemIds.Format(notFound.Id)} not found"),
        ItemAlreadyExists exists => Error(StatusCode.AlreadyExists, $"item {ItemIds.Format(exists.Id)} already exists"),
        IdempotencyKeyReused => Error(StatusCode.AlreadyExists, "idempotency_key was already used to create an item with different content"),
        ItemVersionMismatch mismatch => Error(StatusCode.Aborted,
            $"expected_version {mismatch.Expected} does not match the current version {mismatch.Current}"),
        InsufficientInventory insufficient => Error(StatusCode.FailedPrecondition,
            $"insufficient inventory: {insufficient.InStock} in stock, {insufficient.Requested} requested"),
        InventoryLimitExceeded exceeded => Error(StatusCode.FailedPrecondition,
            $"inventory_count would exceed {ItemLimits.InventoryMaximum}: {exceeded.InStock} in stock, {exceeded.Added} added"),
        _ => Internal(),
    };

    /// <summary>
    /// A failure of DynamoDB, with what is known about a write: UNAVAILABLE when nothing was
    /// changed (safe to retry), DEADLINE_EXCEEDED when a write may have been applied; gRPC's status
    /// codes define DEADLINE_EXCEEDED as "may be returned even if the operation has completed
    /// successfully" (https://grpc.io/docs/guides/status-codes/). Both carry an ErrorInfo reason
    /// (<see cref="StoreFailureReasons"/>) so callers need not trust a bare status from a proxy.
    /// </summary>
    public static RpcException From(StoreFailure failure) => failure switch
    {
        WriteOutcomeUnknown => WithReason(
            StatusCode.DeadlineExceeded, StoreFailureReasons.WriteOutcomeUnknown,
            "the write may have been applied: DynamoDB did not answer in time; retry with the same idempotency_key or read the item first"),
        _ => WithReason(StatusCode.Unavailable, StoreFailureReasons.StoreUnavailable, "the item store is unavailable; nothing was changed; retry later"),
    };

    public static RpcException Internal() => Error(StatusCode.Internal, "internal error");

    /// <summary>
    /// InvalidArgument whose message lists <c>field: problem</c> pairs; the same violations travel
    /// as a <c>google.rpc.BadRequest</c> detail for callers that map them to their own error format.
    /// </summary>
    private static RpcException InvalidArgument(IReadOnlyList<FieldError> errors)
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

    private static RpcException Error(StatusCode code, string detail) => new(new GrpcStatus(code, detail));

    private static RpcException WithReason(StatusCode code, string reason, string message) => new Google.Rpc.Status
    {
        Code = (int)code,
        Message = message,
        Details = { Any.Pack(new ErrorInfo { Reason = reason, Domain = StoreFailureReasons.Domain }) },
    }.ToRpcException();
}
