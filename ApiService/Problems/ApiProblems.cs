using CanaryDemo.ApiService.Requests;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace CanaryDemo.ApiService.Problems;

/// <summary>The problem details bodies of the API, built in one place so types and titles stay stable.</summary>
internal static class ApiProblems
{
    public const string ValidationTitle = "One or more fields are invalid.";

    public static HttpValidationProblemDetails Validation(FieldErrors errors, string? detail = null) =>
        new(errors.ToDictionary())
        {
            Type = ProblemTypes.ValidationFailed,
            Title = ValidationTitle,
            Status = StatusCodes.Status400BadRequest,
            Detail = detail,
        };

    public static ProblemDetails MalformedJson(string? field, string message)
    {
        var problem = new HttpValidationProblemDetails
        {
            Type = ProblemTypes.MalformedJson,
            Title = "The request body is not valid JSON for this endpoint.",
            Status = StatusCodes.Status400BadRequest,
        };
        if (field is not null)
        {
            problem.Errors[field] = [message];
        }
        else
        {
            problem.Detail = message;
        }

        return problem;
    }

    public static ProblemDetails Create(int status, string type, string title, string? detail = null) =>
        new() { Status = status, Type = type, Title = title, Detail = detail };

    /// <summary>Problems for responses that ended with an error status and no body (routing, Kestrel limits).</summary>
    public static ProblemDetails ForEmptyResponse(int status) => status switch
    {
        StatusCodes.Status404NotFound => Create(status, ProblemTypes.RouteNotFound, "No endpoint matches this path."),
        StatusCodes.Status405MethodNotAllowed => Create(status, ProblemTypes.MethodNotAllowed, "This path does not support this method."),
        StatusCodes.Status413PayloadTooLarge => Create(status, ProblemTypes.PayloadTooLarge, "The request body is too large."),
        StatusCodes.Status415UnsupportedMediaType => Create(status, ProblemTypes.UnsupportedMediaType, "The request body must be application/json."),
        StatusCodes.Status400BadRequest => Create(status, ProblemTypes.BadRequest, "The request is not valid."),
        // No error kind of this API: RFC 9457's "about:blank" means "nothing beyond the status".
        _ => Create(status, "about:blank", ReasonPhrases.GetReasonPhrase(status)),
    };

    /// <param name="encoding">The request's Content-Encoding, quoted back so the client sees what was refused.</param>
    public static ProblemDetails UnsupportedContentEncoding(string encoding) =>
        Create(StatusCodes.Status415UnsupportedMediaType, ProblemTypes.UnsupportedContentEncoding, "The request body must not be compressed.",
            $"Content-Encoding '{encoding}' is not accepted: send the JSON body uncompressed.");

    public static ProblemDetails Unauthenticated(string detail) =>
        Create(StatusCodes.Status401Unauthorized, ProblemTypes.Unauthenticated, "A valid bearer token is required.", detail);

    public static ProblemDetails TenantMismatch() =>
        Create(StatusCodes.Status403Forbidden, ProblemTypes.TenantMismatch, "The token does not grant access to this tenant.",
            "X-Tenant-ID names another tenant than the bearer token.");

    public static ProblemDetails AuthenticationUnavailable() =>
        Create(StatusCodes.Status503ServiceUnavailable, ProblemTypes.AuthenticationUnavailable, "Bearer tokens cannot be checked right now. Try again later.",
            "The identity provider's signing keys could not be fetched.");

    public static ProblemDetails InsufficientInventory() =>
        Create(StatusCodes.Status409Conflict, ProblemTypes.InsufficientInventory, "The inventory count cannot go below zero.");

    public static ProblemDetails InventoryLimitExceeded() =>
        Create(StatusCodes.Status409Conflict, ProblemTypes.InventoryLimitExceeded, "The inventory count cannot exceed its maximum.");

    public static ProblemDetails Internal() =>
        Create(StatusCodes.Status500InternalServerError, ProblemTypes.InternalError, "An unexpected error occurred.");
}
