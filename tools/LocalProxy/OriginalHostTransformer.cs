using Yarp.ReverseProxy.Forwarder;

namespace CanaryDemo.LocalProxy;

/// <summary>
/// Keeps the request's Host (HTTP/2 <c>:authority</c>), as Traefik does by default
/// (<c>passHostHeader</c>) and as a Linkerd proxy does, instead of the destination's address.
/// </summary>
internal sealed class OriginalHostTransformer : HttpTransformer
{
    public static readonly OriginalHostTransformer Instance = new();

    public override async ValueTask TransformRequestAsync(
        HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        proxyRequest.Headers.Host = httpContext.Request.Host.Value;
    }
}
