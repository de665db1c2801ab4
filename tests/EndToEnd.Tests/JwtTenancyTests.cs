using System.Globalization;
using System.Net;
using System.Text.Json;
using CanaryDemo.EndToEnd.Tests.Infrastructure;
using CanaryDemo.Testing.Auth;

namespace CanaryDemo.EndToEnd.Tests;

/// <summary>
/// <c>Auth:Mode=Jwt</c> over real processes (a local DynamoDB, store, api): refused requests write
/// nothing, and a token reaches only its own tenant's items, page tokens included.
/// </summary>
public sealed class JwtTenancyTests(JwtStackFixture stack) : IClassFixture<JwtStackFixture>
{
    [Fact]
    public async Task Refused_requests_to_every_endpoint_change_nothing_in_the_table()
    {
        var tenant = stack.NewTenant();
        var item = await CreateAsync(tenant);
        var id = item.GetProperty("id").GetString()!;
        // The store's output reaches the test through the orchestrator, a moment after it is written.
        await stack.Store.WaitForLogsAsync(log => IsRpcFor(log, "CreateItem", tenant));
        var storeCallsBefore = StoreRpcCount();

        foreach (var endpoint in ItemEndpoints.Names)
        {
            foreach (var (failure, mint) in RefusedTokens.All)
            {
                using var request = ItemEndpoints.Request(endpoint, id).WithHeader("X-Tenant-ID", Text(tenant));
                if (mint(stack.Tokens, tenant) is { } token)
                {
                    request.WithBearer(token);
                }

                using var response = await stack.Client.SendAsync(request);
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{endpoint}, {failure}: {(int)response.StatusCode}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
            }

            using var mismatch = ItemEndpoints.Request(endpoint, id)
                .WithBearer(stack.Tokens.Mint(tenant))
                .WithHeader("X-Tenant-ID", Text(tenant + 1));
            using var forbidden = await stack.Client.SendAsync(mismatch);
            await ProblemAssert.IsProblemAsync(forbidden, HttpStatusCode.Forbidden, "tenant-mismatch");
        }

        var page = await ListAsync(tenant, "");
        // The list's line comes after any line of the refused requests: only it was added.
        await stack.Store.WaitForLogsAsync(log => IsRpcFor(log, "ListItems", tenant));
        Assert.Equal(storeCallsBefore + 1, StoreRpcCount());
        var stored = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal(item.GetRawText(), stored.GetRawText());
        Assert.Empty((await ListAsync(tenant + 1, "")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_token_reads_only_its_own_tenant_including_through_page_tokens()
    {
        var owner = stack.NewTenant();
        var intruder = stack.NewTenant();
        var item = await CreateAsync(owner);
        await CreateAsync(owner);
        var ownerPage = await ListAsync(owner, "?page_size=1");
        var pageToken = ownerPage.GetProperty("next_page_token").GetString()!;

        Assert.Empty((await ListAsync(intruder, "")).GetProperty("items").EnumerateArray());
        using var get = ItemEndpoints.Request("get", item.GetProperty("id").GetString()!).WithBearer(stack.Tokens.Mint(intruder));
        using var notFound = await stack.Client.SendAsync(get);
        await ProblemAssert.IsProblemAsync(notFound, HttpStatusCode.NotFound, "item-not-found");
        using var continued = RawRequests.Create(HttpMethod.Get, $"/api/v1/items?page_size=1&page_token={Uri.EscapeDataString(pageToken)}", null)
            .WithBearer(stack.Tokens.Mint(intruder));
        using var refused = await stack.Client.SendAsync(continued);
        var problem = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.BadRequest, "validation-failed");
        Assert.NotEmpty(ProblemAssert.FieldErrors(problem, "page_token"));

        var secondPage = await ListAsync(owner, $"?page_size=1&page_token={Uri.EscapeDataString(pageToken)}");
        Assert.Single(secondPage.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task The_user_recorded_is_the_tokens_subject_and_no_token_is_ever_logged()
    {
        var tenant = stack.NewTenant();
        var token = stack.Tokens.Mint(tenant, "carol");
        var expired = stack.Tokens.Mint(tenant, "carol", shape: shape =>
        {
            shape.NotBefore = DateTime.UtcNow.AddHours(-2);
            shape.Expires = DateTime.UtcNow.AddHours(-1);
        });
        using var create = RawRequests.Create(HttpMethod.Post, "/api/v1/items", null, RawRequests.ValidCreateBody)
            .WithBearer(token)
            .WithHeader("X-User-ID", "mallory");
        using var created = await stack.Client.SendAsync(create);
        using var refused = await stack.Client.SendAsync(ItemEndpoints.Request("list").WithBearer(expired));

        var item = await ApiCalls.ReadJsonAsync(created, HttpStatusCode.Created);
        Assert.Equal("carol", item.GetProperty("created_by").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        await stack.Api.WaitForLogsAsync(log => log.TryGetProperty("StatusCode", out var status) && status.GetInt32() == 401);
        foreach (var secret in new[] { token, expired }.SelectMany(jwt => jwt.Split('.')).Where(part => part.Length > 0))
        {
            Assert.DoesNotContain(secret, stack.Api.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, stack.Store.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_run_commands_local_issuer_and_the_AppHosts_jwt_mode_make_a_working_pair()
    {
        var state = Directory.CreateTempSubdirectory("local-issuer-");
        try
        {
            var issuer = new LocalIssuer(state.FullName);
            var environment = ApiServiceProcess.WithJwtMode(ApiServiceProcess.BaseEnvironment(stack.Store.Address), await issuer.ApiSettingsAsync());
            await using var api = await ApiServiceProcess.StartReadyAsync(environment);
            using var client = api.CreateClient();
            var tenant = stack.NewTenant();

            using var request = RawRequests.Create(HttpMethod.Post, "/api/v1/items", null, RawRequests.ValidCreateBody)
                .WithBearer(await issuer.MintAsync(tenant, "dana"));
            using var response = await client.SendAsync(request);

            var item = await ApiCalls.ReadJsonAsync(response, HttpStatusCode.Created);
            Assert.Equal(tenant, item.GetProperty("tenant_id").GetInt64());
            Assert.Equal("dana", item.GetProperty("created_by").GetString());
            using var foreign = await client.SendAsync(ItemEndpoints.Request("list").WithBearer(stack.Tokens.Mint(tenant)));
            Assert.Equal(HttpStatusCode.Unauthorized, foreign.StatusCode);
        }
        finally
        {
            state.Delete(recursive: true);
        }
    }

    private async Task<JsonElement> CreateAsync(long tenant)
    {
        using var request = RawRequests.Create(HttpMethod.Post, "/api/v1/items", null, RawRequests.ValidCreateBody).WithBearer(stack.Tokens.Mint(tenant));
        using var response = await stack.Client.SendAsync(request);
        return await ApiCalls.ReadJsonAsync(response, HttpStatusCode.Created);
    }

    private async Task<JsonElement> ListAsync(long tenant, string query)
    {
        using var request = RawRequests.Create(HttpMethod.Get, "/api/v1/items" + query, null).WithBearer(stack.Tokens.Mint(tenant));
        using var response = await stack.Client.SendAsync(request);
        return await ApiCalls.ReadJsonAsync(response, HttpStatusCode.OK);
    }

    private int StoreRpcCount() => stack.Store.Logs.Count(log => log.TryGetProperty("grpc_method", out _));

    private static bool IsRpcFor(JsonElement log, string method, long tenant) =>
        log.TryGetProperty("grpc_method", out var logged) && logged.GetString() == $"/store.v1.StoreService/{method}" &&
        log.TryGetProperty("tenant", out var logTenant) && logTenant.GetInt64() == tenant;

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
