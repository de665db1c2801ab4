namespace CanaryDemo.LocalProxy;

/// <summary>What the proxies answer a request that no route matches.</summary>
internal static class NoRoute
{
    /// <summary>
    /// Traefik: Go's <c>http.NotFoundHandler</c> (traefik/traefik pkg/muxer/http/mux.go). Linkerd:
    /// NOT_FOUND for a gRPC call, never a fallback to the Service (linkerd2-proxy
    /// linkerd/app/outbound/src/http/server.rs, <c>NoRoute</c>; linkerd/app/core/src/errors/respond.rs).
    /// </summary>
    public static async Task AnswerAsync(HttpContext context, bool grpc)
    {
        if (grpc)
        {
            // Trailers-only: the status travels in the response headers.
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/grpc";
            context.Response.Headers["grpc-status"] = "5";
            context.Response.Headers["grpc-message"] = "no route";
            return;
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync("404 page not found\n");
    }
}
