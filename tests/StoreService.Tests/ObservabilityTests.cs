using System.Diagnostics;
using System.Text.Json;
using CanaryDemo.Store.V1;
using CanaryDemo.StoreService.Tests.Infrastructure;
using Grpc.Core;
using Grpc.Reflection.V1Alpha;

namespace CanaryDemo.StoreService.Tests;

[Collection(StoreCollection.Name)]
public sealed class ObservabilityTests(StoreFixture store)
{
    [Fact]
    public async Task The_rpc_log_line_carries_canary_tenant_service_version_and_trace_id()
    {
        var tenant = store.NewTenant();
        var item = (await store.Client.CreateItemAsync(ItemRequests.NewItem(tenant))).Item;
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var headers = new Metadata
        {
            { "x-canary", "4711" },
            { "traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01" },
        };

        await store.Client.GetItemAsync(new GetItemRequest { TenantId = tenant, Id = item.Id }, headers);

        var line = Assert.Single(await store.Service.WaitForRpcLogsAsync("GetItem", tenant));
        Assert.Equal("4711", line.GetProperty("canary").GetString());
        Assert.Equal(tenant, line.GetProperty("tenant").GetInt64());
        Assert.Equal("OK", line.GetProperty("grpc_status").GetString());
        Assert.Equal("store-service", line.GetProperty("service").GetString());
        Assert.False(string.IsNullOrEmpty(line.GetProperty("version").GetString()));
        Assert.Equal(traceId, line.GetProperty("@tr").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("0123")]
    [InlineData("1234567890")]
    public async Task Calls_without_a_valid_canary_log_no_canary(string? canary)
    {
        var tenant = store.NewTenant();
        var headers = new Metadata();
        if (canary is not null)
        {
            headers.Add("x-canary", canary);
        }

        var error = await Assert.ThrowsAsync<RpcException>(async () => await store.Client.GetItemAsync(
            new GetItemRequest { TenantId = tenant, Id = ItemRequests.UnknownId() }, headers));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        var line = Assert.Single(await store.Service.WaitForRpcLogsAsync("GetItem", tenant));
        Assert.False(line.TryGetProperty("canary", out _), line.ToString());
        Assert.Equal("NotFound", line.GetProperty("grpc_status").GetString());
    }

    [Fact]
    public async Task Server_reflection_lists_the_store_and_health_services()
    {
        using var call = new ServerReflection.ServerReflectionClient(store.Service.Channel).ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(service => service.Name).ToList();

        Assert.Contains("store.v1.StoreService", services);
        Assert.Contains("grpc.health.v1.Health", services);
    }
}
