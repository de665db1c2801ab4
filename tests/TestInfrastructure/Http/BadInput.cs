using System.Net;

namespace CanaryDemo.Testing.Http;

/// <summary>
/// One case of a bad-input battery: a raw request and the problem it must be refused with. Paths,
/// bodies and the tenant may hold placeholders such as <see cref="CallerTenant"/>, which each suite
/// expands to its own values.
/// </summary>
public sealed record BadInput(
    string Name,
    string Method,
    string Path,
    string? Body,
    string ProblemType = "validation-failed",
    string? Field = null,
    HttpStatusCode Status = HttpStatusCode.BadRequest,
    string? Tenant = BadInput.CallerTenant,
    (string Name, string Value)[]? Headers = null,
    string ContentType = "application/json")
{
    /// <summary>Placeholder for the suite's valid calling tenant.</summary>
    public const string CallerTenant = "{tenant}";

    public HttpRequestMessage ToRequest(Func<string, string> expand)
    {
        var request = RawRequests.Create(new HttpMethod(Method), expand(Path), tenantId: null, Body, ContentType);
        if (Tenant is not null)
        {
            request.WithHeader("X-Tenant-ID", expand(Tenant));
        }

        foreach (var (name, value) in Headers ?? [])
        {
            request.WithHeader(name, value);
        }

        return request;
    }

    /// <summary>Asserts the answer is this case's problem, naming the offending field where there is one.</summary>
    public async Task AssertRefusedAsync(HttpResponseMessage response)
    {
        var problem = await ProblemAssert.IsProblemAsync(response, Status, ProblemType);
        if (Field is not null)
        {
            Assert.NotEmpty(ProblemAssert.FieldErrors(problem, Field));
        }
    }
}
