namespace CanaryDemo.ApiService.OpenApi;

/// <summary>A header an endpoint sets on one of its responses, for the OpenAPI document.</summary>
internal sealed record ResponseHeaderMetadata(int StatusCode, string Name, string Description);

internal static class ResponseHeaderExtensions
{
    public static RouteHandlerBuilder WithResponseHeader(this RouteHandlerBuilder builder, int statusCode, string name, string description) =>
        builder.WithMetadata(new ResponseHeaderMetadata(statusCode, name, description));
}
