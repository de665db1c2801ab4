using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Net;
using CanaryDemo.LocalProxy;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Yarp.ReverseProxy.Forwarder;

// The local stack's proxies (scripts/run --pr): one process per role, YARP's forwarder doing the
// proxying, the routes generated from the manifests (manifests-microservices/local/proxy-routes.js).
//
//   LocalProxy --role edge|east-west --routes <routing file> --urls http://127.0.0.1:<port>
//
// edge: HTTP/1.1 in front of the api tracks, as Traefik's IngressRoutes route.
// east-west: h2c (HTTP/2 with prior knowledge) in front of the store tracks, the one address every
// api track dials, as the callers' Linkerd proxies apply the GRPCRoutes.
var builder = WebApplication.CreateSlimBuilder(args);
var role = builder.Configuration["role"];
var routesFile = builder.Configuration["routes"];
if (role is not ("edge" or "east-west") || string.IsNullOrEmpty(routesFile) || !File.Exists(routesFile))
{
    await Console.Error.WriteLineAsync("usage: LocalProxy --role edge|east-west --routes <routing file> --urls http://127.0.0.1:<port>");
    return 2;
}

var eastWest = role == "east-west";
var routing = RoutingFile.Read(routesFile);
var routes = eastWest ? routing.EastWest : routing.Edge;
builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(
    endpoint => endpoint.Protocols = eastWest ? HttpProtocols.Http2 : HttpProtocols.Http1));
builder.Services.AddHttpForwarder();
builder.AddProxyTelemetry();
var app = builder.Build();

var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("LocalProxy");
foreach (var (route, index) in routes.Select((route, index) => (route, index)))
{
    logger.LogInformation("{Role} route {Index}: {Name} -> {Service} at {Destination}", role, index, route.Name, route.Service, route.Destination);
}

var client = new HttpMessageInvoker(new SocketsHttpHandler
{
    UseProxy = false,
    AllowAutoRedirect = false,
    AutomaticDecompression = DecompressionMethods.None,
    UseCookies = false,
    EnableMultipleHttp2Connections = true,
    // The forwarded request carries the proxy's own client span (ProxyTelemetry), not the caller's headers.
    ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current),
    ConnectTimeout = TimeSpan.FromSeconds(15),
});
// The api tracks speak HTTP/1.1, the store tracks h2c only (no ALPN without TLS, so exactly HTTP/2).
var requestConfig = eastWest
    ? new ForwarderRequestConfig { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact }
    : new ForwarderRequestConfig { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower };
var forwarder = app.Services.GetRequiredService<IHttpForwarder>();

app.Run(async context =>
{
    var clusterHost = routing.ClusterHost(context.Request.Host.Host);
    var route = routes.FirstOrDefault(candidate => RouteConditions.Matches(candidate.Match, context.Request, clusterHost));
    if (route is null)
    {
        await NoRoute.AnswerAsync(context, eastWest);
        return;
    }

    // As Traefik's headers middleware (Header.Set): every value the client sent is replaced.
    foreach (var (name, value) in route.RequestHeaders ?? ReadOnlyDictionary<string, string>.Empty)
    {
        context.Request.Headers[name] = value;
    }

    var error = await forwarder.SendAsync(context, route.Destination.ToString(), client, requestConfig, OriginalHostTransformer.Instance);
    if (error != ForwarderError.None)
    {
        logger.LogWarning("{Name}: forwarding to {Destination} failed ({Error})", route.Name, route.Destination, error);
    }
});

await app.RunAsync();
return 0;
