using Grpc.Core;

namespace ApiService.Tests.Infrastructure;

/// <summary>How the store double answers one tenant's calls: fail with a status, stall, or answer late.</summary>
public sealed record StoreScript(
    StatusCode? FailWith = null,
    string FailDetail = "internal store detail: table secret-table-7, ConditionalCheckFailedException",
    bool StallUntilDeadline = false,
    TimeSpan Delay = default);
