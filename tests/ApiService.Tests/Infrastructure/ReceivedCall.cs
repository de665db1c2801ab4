using Google.Protobuf;
using Grpc.Core;

namespace CanaryDemo.ApiService.Tests.Infrastructure;

/// <summary>One call as the store double saw it: method, request message and incoming metadata.</summary>
public sealed record ReceivedCall(string Method, long TenantId, IMessage Request, Metadata Headers, DateTime Deadline, DateTime ReceivedAt)
{
    public static readonly string[] WriteMethods = ["CreateItem", "UpdateItem", "DeleteItem", "UpdateInventory"];

    public bool IsWrite => WriteMethods.Contains(Method);

    /// <summary>The time the caller allowed (from grpc-timeout, which gRPC keeps out of RequestHeaders); null without a deadline.</summary>
    public TimeSpan? DeadlineBudget => Deadline == DateTime.MaxValue ? null : Deadline - ReceivedAt;

    public string? Header(string key) => Headers.GetValue(key);

    public T RequestAs<T>()
        where T : IMessage => (T)Request;
}
