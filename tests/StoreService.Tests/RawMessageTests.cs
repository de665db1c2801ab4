using System.Text.Json;
using CanaryDemo.Store.V1;
using CanaryDemo.StoreService.Tests.Infrastructure;
using Google.Protobuf;
using Grpc.Core;

namespace CanaryDemo.StoreService.Tests;

/// <summary>
/// Bytes no well-behaved client sends, on the store's real port: each is refused with a status
/// that names the caller's mistake (never UNKNOWN), writes nothing, and leaves exactly one RPC log
/// line, like every other call.
/// </summary>
[Collection(StoreCollection.Name)]
public sealed class RawMessageTests(StoreFixture store)
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(bytes => bytes, bytes => bytes);

    public static TheoryData<string> Cases => ["truncated", "garbage", "invalid UTF-8 in name", "invalid UTF-8 in a tag"];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task An_undecodable_create_is_invalid_argument_with_its_rpc_line_and_writes_nothing(string caseName)
    {
        var tenant = store.NewTenant();
        var valid = ItemRequests.NewItem(tenant).ToByteArray();
        var body = caseName switch
        {
            "truncated" => valid[..(valid.Length / 2)],
            "garbage" => Enumerable.Repeat((byte)0xFF, 64).ToArray(),
            "invalid UTF-8 in name" => [.. TenantField(tenant), 0x12, 0x02, 0xC3, 0x28],
            _ => [.. TenantField(tenant), 0x12, 0x03, (byte)'P', (byte)'e', (byte)'n', 0x4A, 0x02, 0xFF, 0xFE],
        };

        var error = await RefusedCreateAsync(tenant, body, StatusCode.InvalidArgument);

        Assert.StartsWith("the request is not a valid store.v1.CreateItemRequest", error.Status.Detail);
    }

    [Fact]
    public async Task A_message_above_the_size_limit_is_resource_exhausted_with_its_rpc_line()
    {
        var tenant = store.NewTenant();
        var request = ItemRequests.NewItem(tenant);
        request.Description = new string('d', 300 * 1024);

        await RefusedCreateAsync(tenant, request.ToByteArray(), StatusCode.ResourceExhausted);
    }

    [Fact]
    public async Task A_call_that_reaches_the_service_writes_one_line_not_two()
    {
        var tenant = store.NewTenant();
        var before = RejectedLines("GetItem").Count;

        await Assert.ThrowsAsync<RpcException>(() => CallAsync(
            "GetItem", new GetItemRequest { TenantId = tenant, Id = ItemRequests.UnknownId() }.ToByteArray()));

        Assert.Single(await store.Service.WaitForRpcLogsAsync("GetItem", tenant));
        await Task.Delay(300);
        Assert.Equal(before, RejectedLines("GetItem").Count);
        Assert.Single(store.Service.Logs, log => IsRpcLine(log, "GetItem") && log.TryGetProperty("tenant", out var t) && t.GetInt64() == tenant);
    }

    /// <summary>Field 1 (tenant_id, varint) of a request message.</summary>
    private static byte[] TenantField(long tenant)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        output.WriteTag(1, WireFormat.WireType.Varint);
        output.WriteInt64(tenant);
        output.Flush();
        return stream.ToArray();
    }

    /// <summary>
    /// Sends <paramref name="body"/> as a CreateItem of <paramref name="tenant"/>, which must be refused
    /// with <paramref name="status"/>, logged as such on one line, and write nothing; returns the refusal.
    /// </summary>
    private async Task<RpcException> RefusedCreateAsync(long tenant, byte[] body, StatusCode status)
    {
        var before = RejectedLines("CreateItem").Count;

        var error = await Assert.ThrowsAsync<RpcException>(() => CallAsync("CreateItem", body));

        Assert.Equal(status, error.StatusCode);
        var line = await OneMoreLineAsync("CreateItem", before);
        Assert.Equal(status.ToString(), line.GetProperty("grpc_status").GetString());
        Assert.Empty(await store.StoredRowsAsync(tenant));
        return error;
    }

    private Task<byte[]> CallAsync(string method, byte[] body) =>
        store.Service.Channel.CreateCallInvoker().AsyncUnaryCall(
            new Method<byte[], byte[]>(MethodType.Unary, Store.V1.StoreService.Descriptor.FullName, method, Bytes, Bytes),
            host: null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(10)), body).ResponseAsync;

    private static bool IsRpcLine(JsonElement log, string method) =>
        log.TryGetProperty("grpc_method", out var logged) && logged.GetString() == $"/store.v1.StoreService/{method}";

    /// <summary>RPC lines without a tenant: calls refused before their message was read.</summary>
    private List<JsonElement> RejectedLines(string method) =>
        [.. store.Service.Logs.Where(log => IsRpcLine(log, method) && !log.TryGetProperty("tenant", out _))];

    private async Task<JsonElement> OneMoreLineAsync(string method, int before)
    {
        var lines = await store.Service.WaitForLogsAsync(log => IsRpcLine(log, method) && !log.TryGetProperty("tenant", out _), before + 1);
        await Task.Delay(300); // a second line would come right after the first
        Assert.Equal(before + 1, RejectedLines(method).Count);
        return lines[^1];
    }
}
