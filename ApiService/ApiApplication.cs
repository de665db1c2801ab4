using System.Text.Json;
using System.Text.Json.Serialization;
using CanaryDemo.ApiService.Auth;
using CanaryDemo.ApiService.Cors;
using CanaryDemo.ApiService.Health;
using CanaryDemo.ApiService.Hosting;
using CanaryDemo.ApiService.Items;
using CanaryDemo.ApiService.Json;
using CanaryDemo.ApiService.OpenApi;
using CanaryDemo.ApiService.Problems;
using CanaryDemo.ApiService.Requests;
using CanaryDemo.ApiService.Store;
using CanaryDemo.ServiceDefaults;
using CanaryDemo.Shared.Canary;
using CanaryDemo.Store.V1;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CanaryDemo.ApiService;

/// <summary>
/// Builds the whole api-service: the items API over HTTP/1.1, health, CORS, OpenAPI, the store's
/// gRPC clients. Program.cs runs it; the tests host exactly the same application on a loopback port.
/// </summary>
internal static class ApiApplication
{
    /// <summary>Request bodies above this size are refused with 413.</summary>
    public const long MaxRequestBodyBytes = 64 * 1024;

    /// <summary>The name and version on every log event, span and metric resource.</summary>
    public static ServiceIdentity Service { get; } = ServiceIdentity.Of("api-service", typeof(ApiApplication).Assembly);

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);

        builder.AddServiceDefaults(Service);
        // Plain-text HTTP/1.1: Traefik (or the local edge proxy) terminates TLS in front of it.
        builder.ConfigureListeners(HttpProtocols.Http1);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes);

        builder.Services.ConfigureHttpJsonOptions(json => ConfigureJson(json.SerializerOptions));
        // Bad bodies throw, so ApiExceptionHandler can name the offending JSON field.
        builder.Services.Configure<RouteHandlerOptions>(routing => routing.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();

        builder.Services.AddApiAuthentication(builder.Configuration);
        builder.Services.AddStoreClients(builder.Configuration);
        builder.Services.AddApiHealthChecks();
        builder.Services.AddBrowserCors(builder.Configuration);
        builder.Services.AddApiOpenApi();

        var app = builder.Build();

        app.UseServiceDefaults();
        // The canary scope encloses request logging so the request's log line carries it.
        app.UseCanaryContext();
        app.UseApiRequestLogging();
        app.UseExceptionHandler();
        app.UseStatusCodePages(WriteProblemForEmptyError);
        app.UseCors();
        app.UseApiAuthentication();
        app.UseMiddleware<CallerHeadersMiddleware>();
        app.UseUncompressedRequestBodies();

        app.MapItemsApi();
        app.MapApiHealthEndpoints();
        app.MapApiOpenApi();
        return app;
    }

    private static void ConfigureJson(JsonSerializerOptions options)
    {
        options.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.PropertyNameCaseInsensitive = false;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.AllowDuplicateProperties = false;
        options.Converters.Add(new ExactDecimalConverter());
        options.Converters.Add(new EnumNameConverter<ItemCategory>(ItemEnumNames.Categories));
        options.Converters.Add(new EnumNameConverter<ItemStatus>(ItemEnumNames.Statuses));
    }

    /// <summary>Errors that ended without a body (no route, wrong method, Kestrel's 413) become problem details too.</summary>
    private static Task WriteProblemForEmptyError(StatusCodeContext context)
    {
        var problemDetails = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
        return problemDetails.WriteAsync(context.HttpContext, ApiProblems.ForEmptyResponse(context.HttpContext.Response.StatusCode)).AsTask();
    }
}
