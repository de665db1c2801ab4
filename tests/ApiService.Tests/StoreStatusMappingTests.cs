using System.Net;
using CanaryDemo.ApiService.Tests.Infrastructure;
using CanaryDemo.Store.V1;
using Grpc.Core;

namespace CanaryDemo.ApiService.Tests;

/// <summary>The gRPC status → HTTP table of docs/design.md, with nothing of the store's own message leaking.</summary>
public sealed class StoreStatusMappingTests(ApiStack stack) : IClassFixture<ApiStack>
{
    private const string SecretDetail = "internal store detail: table secret-table-7, ConditionalCheckFailedException";

    [Theory]
    [InlineData(StatusCode.NotFound, HttpStatusCode.NotFound, "item-not-found")]
    [InlineData(StatusCode.AlreadyExists, HttpStatusCode.Conflict, "item-already-exists")]
    [InlineData(StatusCode.FailedPrecondition, HttpStatusCode.Conflict, "conflict")]
    [InlineData(StatusCode.Aborted, HttpStatusCode.PreconditionFailed, "version-mismatch")]
    [InlineData(StatusCode.Internal, HttpStatusCode.InternalServerError, "internal-error")]
    [InlineData(StatusCode.Unknown, HttpStatusCode.InternalServerError, "internal-error")]
    [InlineData(StatusCode.PermissionDenied, HttpStatusCode.InternalServerError, "internal-error")]
    [InlineData(StatusCode.ResourceExhausted, HttpStatusCode.InternalServerError, "internal-error")]
    [InlineData(StatusCode.Unimplemented, HttpStatusCode.InternalServerError, "internal-error")]
    [InlineData(StatusCode.DataLoss, HttpStatusCode.InternalServerError, "internal-error")]
    [InlineData(StatusCode.Unauthenticated, HttpStatusCode.InternalServerError, "internal-error")]
    [InlineData(StatusCode.OutOfRange, HttpStatusCode.InternalServerError, "internal-error")]
    public async Task Store_status_maps_to_http_status_and_problem_type(StatusCode grpcStatus, HttpStatusCode httpStatus, string problemType)
    {
        var tenant = ApiStack.NewTenant();
        stack.Store.Script(tenant, new StoreScript(grpcStatus, SecretDetail));
        using var request = RawRequests.Create(HttpMethod.Put, $"/api/v1/items/{RawRequests.ItemId}", tenant, RawRequests.ValidUpdateBody);

        using var response = await stack.Client.SendAsync(request);

        var problem = await ProblemAssert.IsProblemAsync(response, httpStatus, problemType);
        Assert.DoesNotContain("secret", problem.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Exception", problem.GetRawText(), StringComparison.Ordinal);
        Assert.Single(stack.Store.CallsFor(tenant));
    }

    [Fact]
    public async Task Invalid_argument_field_violations_are_the_whole_problem_and_nothing_else_leaks()
    {
        var tenant = ApiStack.NewTenant();
        stack.Store.Script(tenant, new StoreScript(
            StatusCode.InvalidArgument,
            SecretDetail,
            FieldViolations:
            [
                ("name", "must not be empty"),
                ("price", "must not be negative"),
                ("price", "must have at most 2 decimal places"),
                ("tags[1]", "duplicates another tag"),
            ]));
        using var request = RawRequests.Create(HttpMethod.Post, "/api/v1/items", tenant, RawRequests.ValidCreateBody);

        using var response = await stack.Client.SendAsync(request);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "validation-failed");
        Assert.Equal(["type", "title", "status", "errors", "trace_id"], problem.EnumerateObject().Select(property => property.Name));
        Assert.Equal(["name", "price", "tags[1]"], problem.GetProperty("errors").EnumerateObject().Select(error => error.Name));
        Assert.Equal(["must not be empty"], ProblemAssert.FieldErrors(problem, "name"));
        Assert.Equal(["must not be negative", "must have at most 2 decimal places"], ProblemAssert.FieldErrors(problem, "price"));
        Assert.Equal(["duplicates another tag"], ProblemAssert.FieldErrors(problem, "tags[1]"));
        Assert.DoesNotContain("secret", problem.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Invalid_argument_without_a_field_is_the_detail()
    {
        var tenant = ApiStack.NewTenant();
        stack.Store.Script(tenant, new StoreScript(StatusCode.InvalidArgument, "The page token belongs to another query."));
        using var request = RawRequests.Create(HttpMethod.Get, $"/api/v1/items?page_token={StoreDouble.NextPageToken}", tenant);

        using var response = await stack.Client.SendAsync(request);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "validation-failed");
        Assert.Equal("The page token belongs to another query.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Already_exists_on_a_create_with_an_idempotency_key_is_422()
    {
        var tenant = ApiStack.NewTenant();
        stack.Store.Script(tenant, new StoreScript(StatusCode.AlreadyExists, SecretDetail));
        using var request = RawRequests.Create(HttpMethod.Post, "/api/v1/items", tenant, RawRequests.ValidCreateBody).WithHeader("Idempotency-Key", "order-1");

        using var response = await stack.Client.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
    }

    [Theory]
    [InlineData(-500, "insufficient-inventory")]
    [InlineData(500, "inventory-limit-exceeded")]
    public async Task Refused_inventory_change_is_409_named_by_its_direction(long change, string problemType)
    {
        var tenant = ApiStack.NewTenant();
        stack.Store.Script(tenant, new StoreScript(StatusCode.FailedPrecondition, SecretDetail));
        using var request = RawRequests.Create(HttpMethod.Patch, $"/api/v1/items/{RawRequests.ItemId}/inventory", tenant, $$"""{"quantity_change":{{change}}}""");

        using var response = await stack.Client.SendAsync(request);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict, problemType);
        Assert.DoesNotContain("secret", problem.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(StatusCode.Unavailable, HttpStatusCode.ServiceUnavailable, "store-unavailable")]
    [InlineData(StatusCode.DeadlineExceeded, HttpStatusCode.GatewayTimeout, "store-timeout")]
    public async Task A_failed_read_is_503_or_504_and_nothing_leaks(StatusCode grpcStatus, HttpStatusCode httpStatus, string problemType)
    {
        var tenant = ApiStack.NewTenant();
        stack.Store.Script(tenant, new StoreScript(grpcStatus, SecretDetail));

        using var response = await stack.Client.SendAsync(RawRequests.Create(HttpMethod.Get, $"/api/v1/items/{RawRequests.ItemId}", tenant));

        var problem = await ProblemAssert.IsProblemAsync(response, httpStatus, problemType);
        Assert.DoesNotContain("secret", problem.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("GET", "/api/v1/items/" + RawRequests.ItemId, null)]
    [InlineData("GET", "/api/v1/items", null)]
    public async Task Reads_are_retried_when_the_store_was_not_reached_before_answering_503(string method, string path, string? body)
    {
        var tenant = ApiStack.NewTenant();
        // A bare UNAVAILABLE, as a proxy or a restarting server sends it.
        stack.Store.Script(tenant, new StoreScript(StatusCode.Unavailable));

        using var response = await stack.Client.SendAsync(RawRequests.Create(new HttpMethod(method), path, tenant, body));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable, "store-unavailable");
        Assert.Equal(3, stack.Store.CallsFor(tenant).Count);
    }

    public static TheoryData<string, string, string?> Writes => new()
    {
        { "POST", "/api/v1/items", RawRequests.ValidCreateBody },
        { "PUT", "/api/v1/items/" + RawRequests.ItemId, RawRequests.ValidUpdateBody },
        { "DELETE", "/api/v1/items/" + RawRequests.ItemId, null },
        { "PATCH", "/api/v1/items/" + RawRequests.ItemId + "/inventory", """{"quantity_change":1}""" },
    };

    /// <summary>
    /// The store has already retried DynamoDB within its own budget (reads), or knows the write was
    /// not applied: 503, and the api does not try again.
    /// </summary>
    [Theory]
    [InlineData("GET", "/api/v1/items/" + RawRequests.ItemId, null)]
    [InlineData("GET", "/api/v1/items", null)]
    [MemberData(nameof(Writes))]
    public async Task A_call_the_store_itself_answered_unavailable_is_503_and_not_retried(string method, string path, string? body)
    {
        var tenant = ApiStack.NewTenant();
        stack.Store.Script(tenant, new StoreScript(StatusCode.Unavailable, FailReason: StoreFailureReasons.StoreUnavailable));

        using var response = await stack.Client.SendAsync(RawRequests.Create(new HttpMethod(method), path, tenant, body));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable, "store-unavailable");
        Assert.Single(stack.Store.CallsFor(tenant));
    }

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task A_write_that_may_have_been_applied_is_504_write_outcome_unknown_and_not_retried(string method, string path, string? body)
    {
        var tenant = ApiStack.NewTenant();
        stack.Store.Script(tenant, new StoreScript(StatusCode.DeadlineExceeded, SecretDetail, FailReason: StoreFailureReasons.WriteOutcomeUnknown));

        using var response = await stack.Client.SendAsync(RawRequests.Create(new HttpMethod(method), path, tenant, body));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.GatewayTimeout, "write-outcome-unknown");
        Assert.Contains("Idempotency-Key", problem.GetProperty("detail").GetString());
        Assert.DoesNotContain("secret", problem.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.Single(stack.Store.CallsFor(tenant));
    }

    [Theory]
    [InlineData(StatusCode.Unavailable)]
    [InlineData(StatusCode.Cancelled)]
    public async Task A_write_failing_without_the_stores_word_that_nothing_changed_may_have_been_applied(StatusCode grpcStatus)
    {
        var tenant = ApiStack.NewTenant();
        // A bare status, e.g. from a proxy between api and store that lost the connection after sending.
        stack.Store.Script(tenant, new StoreScript(grpcStatus));

        using var response = await stack.Client.SendAsync(RawRequests.Create(
            HttpMethod.Patch, $"/api/v1/items/{RawRequests.ItemId}/inventory", tenant, """{"quantity_change":-1}"""));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.GatewayTimeout, "write-outcome-unknown");
        Assert.Single(stack.Store.CallsFor(tenant));
    }
}
