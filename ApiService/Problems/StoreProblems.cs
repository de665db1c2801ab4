using CanaryDemo.ApiService.Requests;
using CanaryDemo.ApiService.Store;
using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using BadRequest = Google.Rpc.BadRequest;

namespace CanaryDemo.ApiService.Problems;

/// <summary>
/// Maps a failed store call to its HTTP problem (the tables in docs/design.md). Only InvalidArgument passes
/// the store's own words on (its field violations are validation messages meant for callers);
/// every other status gets a fixed text so nothing internal reaches the client. A write (any
/// method but GET) answers 503 "retry" only when it is known not to have been applied
/// (<see cref="StoreCallFailures.KnownNotApplied"/>); a write that may have been applied (a lost
/// connection, a deadline, the store's own DEADLINE_EXCEEDED) is 504 <c>write-outcome-unknown</c>.
/// </summary>
internal static class StoreProblems
{
    private const int MaxDetailLength = 500;

    public static ProblemDetails From(RpcException exception, HttpRequest request) => exception.StatusCode switch
    {
        StatusCode.Unavailable when IsWrite(request) && !StoreCallFailures.KnownNotApplied(exception) => WriteOutcomeUnknown(),
        StatusCode.DeadlineExceeded or StatusCode.Cancelled when IsWrite(request) => WriteOutcomeUnknown(),
        StatusCode.InvalidArgument => InvalidArgument(exception),
        StatusCode.NotFound => ApiProblems.Create(StatusCodes.Status404NotFound, ProblemTypes.ItemNotFound, "The item does not exist."),
        // With an Idempotency-Key the store answers a retry with the same body with the original
        // item, and a reuse of the key with another body with AlreadyExists.
        StatusCode.AlreadyExists when request.Headers.ContainsKey(RequestHeaders.IdempotencyKey) =>
            ApiProblems.Create(StatusCodes.Status422UnprocessableEntity, ProblemTypes.IdempotencyKeyReused, "The Idempotency-Key was already used with a different request body."),
        StatusCode.AlreadyExists => ApiProblems.Create(StatusCodes.Status409Conflict, ProblemTypes.ItemAlreadyExists, "The item already exists."),
        // The inventory endpoint names its own FailedPrecondition (ItemsApi.UpdateInventory).
        StatusCode.FailedPrecondition => ApiProblems.Create(StatusCodes.Status409Conflict, ProblemTypes.Conflict, "The item's current state does not allow this change."),
        StatusCode.Aborted => ApiProblems.Create(StatusCodes.Status412PreconditionFailed, ProblemTypes.VersionMismatch, "The item was changed since the version given in If-Match."),
        StatusCode.Unavailable => ApiProblems.Create(StatusCodes.Status503ServiceUnavailable, ProblemTypes.StoreUnavailable, "The store is unavailable. Try again later.", "Nothing was changed."),
        StatusCode.DeadlineExceeded => ApiProblems.Create(StatusCodes.Status504GatewayTimeout, ProblemTypes.StoreTimeout, "The store did not answer in time."),
        _ => ApiProblems.Internal(),
    };

    private static bool IsWrite(HttpRequest request) => !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method);

    private static ProblemDetails WriteOutcomeUnknown() => ApiProblems.Create(
        StatusCodes.Status504GatewayTimeout,
        ProblemTypes.WriteOutcomeUnknown,
        "The write may have been applied.",
        "The store did not confirm the outcome. Retry with the same Idempotency-Key, or read the item before trying again.");

    /// <summary>
    /// The store sends its violations as a google.rpc.BadRequest detail (field names as in the
    /// proto, which match the JSON names); a message without one becomes the detail text.
    /// </summary>
    private static ProblemDetails InvalidArgument(RpcException exception)
    {
        var errors = new FieldErrors();
        var violations = exception.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations ?? [];
        foreach (var violation in violations)
        {
            errors.Add(violation.Field, violation.Description);
        }

        if (!errors.IsEmpty)
        {
            return ApiProblems.Validation(errors);
        }

        var message = exception.Status.Detail;
        return ApiProblems.Validation(errors, message.Length > MaxDetailLength ? message[..MaxDetailLength] : message);
    }
}
