using Grpc.Core;

namespace CanaryDemo.ApiService.Tests.Infrastructure;

/// <summary>
/// How the store double answers one tenant's calls: fail with a status (and, like the real store,
/// a google.rpc.BadRequest detail for InvalidArgument or a google.rpc.ErrorInfo reason for its
/// own failure answers), stall, or answer late.
/// </summary>
public sealed record StoreScript(
    StatusCode? FailWith = null,
    string FailDetail = "internal store detail: table secret-table-7, ConditionalCheckFailedException",
    bool StallUntilDeadline = false,
    TimeSpan Delay = default,
    (string Field, string Description)[]? FieldViolations = null,
    string? FailReason = null);
