using System.Net;
using CanaryDemo.ApiService.Tests.Infrastructure;

namespace CanaryDemo.ApiService.Tests;

/// <summary>The canary contract at the edge: echo a valid X-Canary and forward it as x-canary metadata, ignore anything else.</summary>
public sealed class CanaryPropagationTests(ApiStack stack) : IClassFixture<ApiStack>
{
    [Theory]
    [InlineData("42")]
    [InlineData("7")]
    [InlineData("123456789")]
    public async Task Valid_canary_is_echoed_and_forwarded_with_the_other_metadata(string canary)
    {
        var tenant = ApiStack.NewTenant();
        using var request = RawRequests.Create(HttpMethod.Get, $"/api/v1/items/{RawRequests.ItemId}", tenant).WithHeader("X-Canary", canary);

        using var response = await stack.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([canary], response.Headers.GetValues("X-Canary-Echo"));
        var call = Assert.Single(stack.Store.CallsFor(tenant));
        Assert.Equal(canary, call.Header("x-canary"));
        Assert.Single(call.Headers, entry => entry.Key == "x-canary");
        // Nothing else is lost: the deadline, the trace context and the W3C baggage still travel.
        Assert.InRange(call.DeadlineBudget!.Value, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(5));
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", call.Header("traceparent"));
        Assert.Contains(("canary", canary), Baggage(call.Header("baggage")));
    }

    /// <summary>W3C baggage: comma separated key=value members, optional whitespace around '='.</summary>
    private static (string, string)[] Baggage(string? header) =>
        [.. (header ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(member => member.Split(';')[0].Split('=', 2))
            .Select(pair => (pair[0].Trim(), pair.Length > 1 ? pair[1].Trim() : string.Empty))];

    [Theory]
    [InlineData("042")]
    [InlineData("abc")]
    [InlineData("1 2")]
    [InlineData("1234567890")]
    [InlineData("-1")]
    [InlineData("+5")]
    [InlineData("")]
    public async Task Invalid_canary_is_neither_echoed_nor_forwarded_and_never_an_error(string canary)
    {
        var tenant = ApiStack.NewTenant();
        using var request = RawRequests.Create(HttpMethod.Get, $"/api/v1/items/{RawRequests.ItemId}", tenant).WithHeader("X-Canary", canary);

        using var response = await stack.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Canary-Echo"));
        var call = Assert.Single(stack.Store.CallsFor(tenant));
        Assert.Null(call.Header("x-canary"));
        Assert.NotNull(call.DeadlineBudget);
    }

    [Fact]
    public async Task Request_without_canary_forwards_no_canary()
    {
        var tenant = ApiStack.NewTenant();

        using var response = await stack.Client.SendAsync(RawRequests.Create(HttpMethod.Get, "/api/v1/items", tenant));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Canary-Echo"));
        Assert.Null(Assert.Single(stack.Store.CallsFor(tenant)).Header("x-canary"));
    }

    [Fact]
    public async Task Canary_is_echoed_on_error_responses_too()
    {
        using var request = RawRequests.Create(HttpMethod.Get, "/api/v1/items", tenantId: null).WithHeader("X-Canary", "42");

        using var response = await stack.Client.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "validation-failed");
        Assert.Equal(["42"], response.Headers.GetValues("X-Canary-Echo"));
    }

    [Fact]
    public async Task Canary_is_forwarded_on_writes_and_on_the_readiness_check()
    {
        var tenant = ApiStack.NewTenant();
        using var create = RawRequests.Create(HttpMethod.Post, "/api/v1/items", tenant, RawRequests.ValidCreateBody).WithHeader("X-Canary", "42");
        using var ready = new HttpRequestMessage(HttpMethod.Get, "/healthz/ready").WithHeader("X-Canary", "42");

        using var created = await stack.Client.SendAsync(create);
        using var readiness = await stack.Client.SendAsync(ready);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("42", Assert.Single(stack.Store.CallsFor(tenant)).Header("x-canary"));
        Assert.Equal(HttpStatusCode.OK, readiness.StatusCode);
        Assert.Equal(["42"], readiness.Headers.GetValues("X-Canary-Echo"));
    }
}
