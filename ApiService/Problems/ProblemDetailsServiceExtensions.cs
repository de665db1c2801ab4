using Microsoft.AspNetCore.Mvc;

namespace CanaryDemo.ApiService.Problems;

internal static class ProblemDetailsServiceExtensions
{
    /// <summary>Writes <paramref name="problem"/> with its status code as application/problem+json.</summary>
    public static ValueTask WriteAsync(this IProblemDetailsService service, HttpContext context, ProblemDetails problem)
    {
        context.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        return service.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }
}
