using System.Text.Json;
using System.Text.Json.Serialization;
using CanaryDemo.ApiService.Cors;
using CanaryDemo.ApiService.Health;
using CanaryDemo.ApiService.Hosting;
using CanaryDemo.ApiService.Items;
using CanaryDemo.ApiService.Json;
using CanaryDemo.ApiService.Problems;
using CanaryDemo.ApiService.Requests;
using CanaryDemo.ApiService.Store;
using CanaryDemo.Shared.Canary;
using CanaryDemo.Shared.Canary.Observability;
using CanaryDemo.Store.V1;
using Microsoft.AspNetCore.Diagnostics;

namespace CanaryDemo.ApiService;

/// <summary>
/// Builds the whole api-service. Program.cs runs it; the tests host exactly the same
/// application on a loopback port.
/// </summary>
public static class ApiApplication
{
    /// <summary>Request bodies above this size are refused with 413.</summary>
    public const long MaxRequestBodyBytes = 64 * 1024;

    /// <summary>The name and version in every span and metric resource.</summary>
    public static ServiceIdentity Service { get; } = ServiceIdentity.Of("api-service", typeof(ApiApplication).Assembly);

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);

        builder.Services.AddApiLogging();
        builder.AddObservability(Service);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(20));
        builder.Services.Configure<HostOptions>(builder.Configuration.GetSection("HostOptions"));

        builder.Services.ConfigureHttpJsonOptions(json => ConfigureJson(json.SerializerOptions));
        // Bad bodies throw, so ApiExceptionHandler can name the offending JSON field.
        builder.Services.Configure<RouteHandlerOptions>(routing => routing.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();

        builder.Services.AddStoreClients(builder.Configuration);
        builder.Services.AddApiHealthChecks();
        builder.Services.AddBrowserCors(builder.Configuration);
        builder.Services.AddApiOpenApi();

        var app = builder.Build();

        app.UseObservability();
        // The canary scope encloses request logging so the request's log line carries it.
        app.UseCanary();
        app.UseApiRequestLogging();
        app.UseExceptionHandler();
        app.UseStatusCodePages(WriteProblemForEmptyError);
        app.UseCors();
        app.UseMiddleware<CallerHeadersMiddleware>();

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
