using System.Net;
using System.Text.Json;
using CanaryDemo.ApiService.Tests.Infrastructure;
using CanaryDemo.Store.V1;
using CanaryDemo.Testing.Auth;

namespace CanaryDemo.ApiService.Tests;

/// <summary>
/// <c>Auth:Mode=Jwt</c>: real RS256 tokens from <see cref="TestTokens"/>, every endpoint against
/// every way a token can fail, and what a valid token may and may not do.
/// </summary>
public sealed class JwtAuthTests(JwtApiStack stack) : IClassFixture<JwtApiStack>
{
    public static TheoryData<string, string> EndpointsAndFailures()
    {
        var data = new TheoryData<string, string>();
        foreach (var endpoint in ItemEndpoints.Names)
        {
            foreach (var failure in RefusedTokens.All.Keys)
            {
                data.Add(endpoint, failure);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EndpointsAndFailures))]
    public async Task Every_endpoint_refuses_a_missing_or_invalid_token_with_401_and_never_calls_the_store(string endpoint, string failure)
    {
        var tenant = ApiStack.NewTenant();
        var callsBefore = stack.Store.Calls.Count;
        using var request = ItemEndpoints.Request(endpoint).WithHeader("X-Tenant-ID", tenant.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (RefusedTokens.All[failure](stack.Tokens, tenant) is { } token)
        {
            request.WithBearer(token);
        }

        using var response = await stack.Client.SendAsync(request);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        if (failure == "no token")
        {
            // RFC 6750 §3.1: no error code when the request had no credentials.
            Assert.Null(challenge.Parameter);
        }
        else
        {
            Assert.Contains("error=\"invalid_token\"", challenge.Parameter, StringComparison.Ordinal);
        }

        Assert.Equal(callsBefore, stack.Store.Calls.Count);
    }

    [Theory]
    [MemberData(nameof(EndpointNames))]
    public async Task Every_endpoint_refuses_an_X_Tenant_ID_other_than_the_tokens_with_403(string endpoint)
    {
        var tenant = ApiStack.NewTenant();
        var other = ApiStack.NewTenant();
        using var request = ItemEndpoints.Request(endpoint)
            .WithBearer(stack.Tokens.Mint(tenant))
            .WithHeader("X-Tenant-ID", other.ToString(System.Globalization.CultureInfo.InvariantCulture));

        using var response = await stack.Client.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden, "tenant-mismatch");
        Assert.Contains("insufficient_scope", Assert.Single(response.Headers.WwwAuthenticate).Parameter, StringComparison.Ordinal);
        Assert.Empty(stack.Store.CallsFor(tenant));
        Assert.Empty(stack.Store.CallsFor(other));
    }

    public static TheoryData<string> EndpointNames() => [.. ItemEndpoints.Names];

    [Theory]
    [MemberData(nameof(EndpointNames))]
    public async Task Every_endpoint_serves_a_valid_token_for_the_claims_tenant_and_user(string endpoint)
    {
        var tenant = ApiStack.NewTenant();
        using var request = ItemEndpoints.Request(endpoint).WithBearer(stack.Tokens.Mint(tenant, "alice@example.test"));

        using var response = await stack.Client.SendAsync(request);

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var call = Assert.Single(stack.Store.CallsFor(tenant));
        var user = call.Request switch
        {
            CreateItemRequest create => create.CreatedBy,
            UpdateItemRequest update => update.UpdatedBy,
            DeleteItemRequest delete => delete.UpdatedBy,
            UpdateInventoryRequest inventory => inventory.UpdatedBy,
            _ => "alice@example.test",
        };
        Assert.Equal("alice@example.test", user);
    }

    [Fact]
    public async Task The_token_names_the_user_X_User_ID_and_a_body_updated_by_are_ignored()
    {
        var tenant = ApiStack.NewTenant();
        using var create = RawRequests.Create(HttpMethod.Post, "/api/v1/items", null, RawRequests.ValidCreateBody)
            .WithBearer(stack.Tokens.Mint(tenant, "alice"))
            .WithHeader("X-User-ID", "mallory");
        using var inventory = RawRequests.Create(HttpMethod.Patch, $"/api/v1/items/{RawRequests.ItemId}/inventory", null, """{"quantity_change":-1,"updated_by":"mallory"}""")
            .WithBearer(stack.Tokens.Mint(tenant, "alice"));

        using var created = await stack.Client.SendAsync(create);
        using var changed = await stack.Client.SendAsync(inventory);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var calls = stack.Store.CallsFor(tenant);
        Assert.Equal("alice", calls.Single(call => call.Method == "CreateItem").RequestAs<CreateItemRequest>().CreatedBy);
        Assert.Equal("alice", calls.Single(call => call.Method == "UpdateInventory").RequestAs<UpdateInventoryRequest>().UpdatedBy);
    }

    [Theory]
    [InlineData("{0}")]
    [InlineData("000{0}")]
    public async Task An_X_Tenant_ID_naming_the_tokens_tenant_is_accepted(string header)
    {
        var tenant = ApiStack.NewTenant();
        using var request = ItemEndpoints.Request("get")
            .WithBearer(stack.Tokens.Mint(tenant))
            .WithHeader("X-Tenant-ID", string.Format(System.Globalization.CultureInfo.InvariantCulture, header, tenant));

        using var response = await stack.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(tenant, Assert.Single(stack.Store.CallsFor(tenant)).TenantId);
    }

    [Fact]
    public async Task A_malformed_X_Tenant_ID_beside_a_valid_token_is_400()
    {
        var tenant = ApiStack.NewTenant();
        using var request = ItemEndpoints.Request("get").WithBearer(stack.Tokens.Mint(tenant)).WithHeader("X-Tenant-ID", "abc");

        using var response = await stack.Client.SendAsync(request);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "validation-failed");
        Assert.NotEmpty(ProblemAssert.FieldErrors(problem, "X-Tenant-ID"));
        Assert.Empty(stack.Store.CallsFor(tenant));
    }

    [Fact]
    public async Task A_tenant_claim_given_as_a_string_is_read_as_the_same_number()
    {
        var tenant = ApiStack.NewTenant();
        using var request = ItemEndpoints.Request("list")
            .WithBearer(stack.Tokens.Mint(tenant, shape: token => token.Claims[TestTokens.TenantClaim] = tenant.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        using var response = await stack.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(stack.Store.CallsFor(tenant));
    }

    [Fact]
    public async Task A_token_within_the_clock_skew_of_its_expiry_is_still_accepted()
    {
        var tenant = ApiStack.NewTenant();
        using var request = ItemEndpoints.Request("get").WithBearer(stack.Tokens.Mint(tenant, shape: token =>
        {
            token.NotBefore = DateTime.UtcNow.AddMinutes(-5);
            token.Expires = DateTime.UtcNow.AddSeconds(-10);
        }));

        using var response = await stack.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/healthz/live")]
    [InlineData("/healthz/ready")]
    [InlineData("/openapi/v1.json")]
    public async Task Health_and_the_OpenAPI_document_need_no_token(string path)
    {
        using var response = await stack.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_on_the_management_port_need_no_token()
    {
        using var response = await stack.Api.Management.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_bearer_scheme_and_requires_it_on_every_items_operation()
    {
        using var document = JsonDocument.Parse(await stack.Client.GetStringAsync("/openapi/v1.json"));
        var root = document.RootElement;

        var scheme = root.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        Assert.Equal("JWT", scheme.GetProperty("bearerFormat").GetString());
        var operations = root.GetProperty("paths").EnumerateObject()
            .Where(path => path.Name.StartsWith("/api/v1/", StringComparison.Ordinal))
            .SelectMany(path => path.Value.EnumerateObject())
            .ToList();
        Assert.Equal(6, operations.Count);
        foreach (var operation in operations)
        {
            var requirement = Assert.Single(operation.Value.GetProperty("security").EnumerateArray());
            Assert.True(requirement.TryGetProperty("bearer", out _), operation.Name);
            var tenant = operation.Value.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "X-Tenant-ID");
            Assert.False(tenant.TryGetProperty("required", out var required) && required.GetBoolean());
            Assert.DoesNotContain(operation.Value.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "X-User-ID");
            Assert.True(operation.Value.GetProperty("responses").TryGetProperty("401", out _));
        }

        Assert.False(root.GetProperty("paths").GetProperty("/health").GetProperty("get").TryGetProperty("security", out _));
    }
}
