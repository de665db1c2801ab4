using System.Text.RegularExpressions;
using CanaryDemo.ApiService.Requests;
using Grpc.Core;
using Microsoft.AspNetCore.Mvc;

namespace CanaryDemo.ApiService.Problems;

/// <summary>
/// Maps a failed store call to the HTTP problem of DESIGN's table. Only InvalidArgument passes
/// the store's own message on (it is the field-level validation message); every other status
/// gets a fixed text so nothing internal reaches the client.
/// </summary>
internal static partial class StoreProblems
{
    private const int MaxDetailLength = 500;

    public static ProblemDetails From(RpcException exception, HttpRequest request) => exception.StatusCode switch
    {
        StatusCode.InvalidArgument => InvalidArgument(exception.Status.Detail),
        StatusCode.NotFound => ApiProblems.Create(StatusCodes.Status404NotFound, ProblemTypes.ItemNotFound, "The item does not exist."),
        // With an Idempotency-Key the store answers a retry with the same body with the original
        // item, and a reuse of the key with another body with AlreadyExists.
        StatusCode.AlreadyExists when request.Headers.ContainsKey(RequestHeaders.IdempotencyKey) =>
            ApiProblems.Create(StatusCodes.Status422UnprocessableEntity, ProblemTypes.IdempotencyKeyReused, "The Idempotency-Key was already used with a different request body."),
        StatusCode.AlreadyExists => ApiProblems.Create(StatusCodes.Status409Conflict, ProblemTypes.ItemAlreadyExists, "The item already exists."),
        // store.proto: FailedPrecondition means the inventory count would go below zero.
        StatusCode.FailedPrecondition => ApiProblems.Create(StatusCodes.Status409Conflict, ProblemTypes.InsufficientInventory, "The inventory count cannot go below zero."),
        StatusCode.Aborted => ApiProblems.Create(StatusCodes.Status412PreconditionFailed, ProblemTypes.VersionMismatch, "The item was changed since the version given in If-Match."),
        StatusCode.Unavailable => ApiProblems.Create(StatusCodes.Status503ServiceUnavailable, ProblemTypes.StoreUnavailable, "The store is unavailable. Try again later."),
        StatusCode.DeadlineExceeded => ApiProblems.Create(StatusCodes.Status504GatewayTimeout, ProblemTypes.StoreTimeout, "The store did not answer in time."),
        _ => ApiProblems.Internal(),
    };

    private static ProblemDetails InvalidArgument(string storeMessage)
    {
        var message = storeMessage.Length > MaxDetailLength ? storeMessage[..MaxDetailLength] : storeMessage;
        var errors = new FieldErrors();
        var match = FieldMessage().Match(message);
        if (match.Success)
        {
            errors.Add(match.Groups["field"].Value, match.Groups["message"].Value);
            return ApiProblems.Validation(errors);
        }

        return ApiProblems.Validation(errors, message);
    }

    /// <summary>"price: must not be negative" → field <c>price</c>.</summary>
    [GeneratedRegex(@"^(?<field>[a-z_][a-z0-9_.\[\]]*): (?<message>.+)$", RegexOptions.Singleline, matchTimeoutMilliseconds: 100)]
    private static partial Regex FieldMessage();
}
