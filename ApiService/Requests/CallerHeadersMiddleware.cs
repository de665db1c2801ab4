using CanaryDemo.ApiService.Problems;

namespace CanaryDemo.ApiService.Requests;

/// <summary>Marks endpoints that need a <see cref="RequestCaller"/> (every <c>/api/v1</c> endpoint).</summary>
internal sealed class RequiresCallerMetadata
{
    public static readonly RequiresCallerMetadata Instance = new();
}

/// <summary>
/// Validates <c>X-Tenant-ID</c>/<c>X-User-ID</c> after routing and before model binding, so a
/// request without a valid tenant is refused before its body is even read.
/// </summary>
internal sealed class CallerHeadersMiddleware(RequestDelegate next, IProblemDetailsService problemDetails)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<RequiresCallerMetadata>() is null)
        {
            await next(context);
            return;
        }

        var errors = new FieldErrors();
        var caller = RequestCaller.Parse(context.Request.Headers[RequestHeaders.TenantId], context.Request.Headers[RequestHeaders.UserId], errors);
        if (caller is null)
        {
            await problemDetails.WriteAsync(context, ApiProblems.Validation(errors));
            return;
        }

        context.Features.Set(caller);
        await next(context);
    }
}

internal static class CallerHeadersExtensions
{
    public static TBuilder RequireCaller<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(RequiresCallerMetadata.Instance);
}
