using CanaryDemo.ApiService.Problems;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;

namespace CanaryDemo.ApiService.Requests;

/// <summary>
/// Request bodies are read as sent: a compressed one (<c>Content-Encoding: gzip</c>, <c>br</c>, ...)
/// is answered 415 with problem details naming the encoding and <c>Accept-Encoding: identity</c>
/// (RFC 9110 §15.5.16 and §12.5.3), instead of being parsed as JSON and called malformed. The
/// bodies are JSON of at most 64 KiB, so compressing them saves little, and accepting compression
/// would add a decompressor, and its size limit, to every replica.
/// </summary>
internal static class RequestBodyEncoding
{
    private const string Identity = "identity";
    private const int MaxQuoted = 100;

    /// <summary>Checks the requests to endpoints that read a body; call it after routing.</summary>
    public static WebApplication UseUncompressedRequestBodies(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            if (CompressedBodyEncoding(context) is not { } encoding)
            {
                return next(context);
            }

            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            context.Response.Headers[HeaderNames.AcceptEncoding] = Identity;
            var problemDetails = context.RequestServices.GetRequiredService<IProblemDetailsService>();
            return problemDetails.WriteAsync(context, ApiProblems.UnsupportedContentEncoding(encoding)).AsTask();
        });
        return app;
    }

    /// <summary>The Content-Encoding of a body this endpoint would read, unless it is absent or <c>identity</c>.</summary>
    private static string? CompressedBodyEncoding(HttpContext context)
    {
        var encodings = context.Request.Headers.ContentEncoding;
        if (encodings.Count == 0
            || context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false }
            || context.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>() is null)
        {
            return null;
        }

        var codings = string.Join(',', encodings.ToArray())
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(coding => !coding.Equals(Identity, StringComparison.OrdinalIgnoreCase))
            .ToArray();
        if (codings.Length == 0)
        {
            return null;
        }

        // Quoted back in the problem, so never more than a short header's worth.
        var named = string.Join(", ", codings);
        return named.Length <= MaxQuoted ? named : named[..MaxQuoted];
    }
}
