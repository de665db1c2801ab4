using Grpc.Core;

namespace CanaryDemo.ApiService.Tests.Infrastructure;

/// <summary>
/// How the store double answers one tenant's calls: fail with a status (and, like the real store
/// for InvalidArgument, a google.rpc.BadRequest detail), stall, or answer late.
/// </summary>
public sealed record StoreScript(
    StatusCode? FailWith = null,
    string FailDetail = "internal store detail: table secret-table-7, ConditionalCheckFailedException",
    bool StallUntilDeadline = false,
    TimeSpan Delay = default,
    (string Field, string Description)[]? FieldViolations = null);
