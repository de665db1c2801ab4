using CanaryDemo.ApiService.Problems;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CanaryDemo.ApiService.OpenApi;

/// <summary>The document's product description, its tags, and no server: clients call the host they fetched it from.</summary>
internal static class DocumentDescription
{
    public static Task Describe(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "CanaryDemo items API",
            Version = "v1",
            Description =
                "A multi-tenant item and inventory API, the HTTP edge of CanaryDemo's PR-scoped canaries. " +
                "Every /api/v1 call names its tenant: the X-Tenant-ID header, or the bearer token's tenant claim where the deployment runs in Jwt mode. A request with X-Canary: <PR number> is served " +
                "by that pull request's canary, if it runs one, and by stable otherwise. Errors are RFC 9457 " +
                "problem details whose `type` is one of: " + string.Join(", ", ProblemTypes.All) + ".",
        };
        // The framework writes the address of the request that fetched the document; a generated
        // client would then call that one host whatever its own configuration says.
        document.Servers = [];
        document.Tags = new HashSet<OpenApiTag>
        {
            new() { Name = "Items", Description = "Items of the calling tenant and their inventory." },
            new() { Name = "Health", Description = "Whether the service is up (the Kubernetes probes use /healthz/live and /healthz/ready)." },
        };
        return Task.CompletedTask;
    }
}
