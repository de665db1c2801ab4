using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CanaryDemo.CanaryCheck.Tests;

/// <summary>How the fake api's canary behaves.</summary>
internal sealed record FakeCanary
{
    /// <summary>The track that answers X-Canary: 42 (stable: the PR is not routed).</summary>
    public string Track { get; init; } = "pr-42";

    /// <summary>Names come back in upper case from the canary.</summary>
    public bool ShoutsNames { get; init; }

    /// <summary>The canary answers 500 to GET /things.</summary>
    public bool FailsLists { get; init; }

    /// <summary>The canary's create answers without an id.</summary>
    public bool ForgetsIds { get; init; }
}

/// <summary>
/// A small HTTP JSON api on a real loopback port with the routing contract's response header:
/// stable without X-Canary, the canary's track with X-Canary: 42. Things are kept per tenant.
/// </summary>
internal sealed class FakeApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<(string Tenant, string Id), string> _things = new();

    private FakeApi(WebApplication app) => _app = app;

    public Uri Url => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

    /// <summary>Every request: its tenant, X-Canary and Authorization.</summary>
    public ConcurrentQueue<(string? Tenant, string? Canary, string? Authorization)> Requests { get; } = new();

    public static async Task<FakeApi> StartAsync(FakeCanary canary)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var api = new FakeApi(app);
        app.Use(async (context, next) =>
        {
            var isCanary = context.Request.Headers["X-Canary"] == "42";
            api.Requests.Enqueue((context.Request.Headers["X-Tenant-ID"], context.Request.Headers["X-Canary"], context.Request.Headers.Authorization));
            context.Items["canary"] = isCanary;
            context.Response.Headers["X-Canary-Route"] = $"api={(isCanary ? canary.Track : "stable")}";
            await next(context);
        });
        app.MapPost("/things", async (HttpContext context) =>
        {
            var body = await JsonNode.ParseAsync(context.Request.Body);
            var id = Guid.NewGuid().ToString();
            var tenant = context.Request.Headers["X-Tenant-ID"].ToString();
            api._things[(tenant, id)] = body!["name"]!.GetValue<string>();
            var thing = Thing(context, canary, tenant, id, api._things[(tenant, id)]);
            if (IsCanary(context) && canary.ForgetsIds)
            {
                thing.Remove("id");
            }

            return Results.Json(thing, statusCode: 201);
        });
        app.MapGet("/things/{id}", (HttpContext context, string id) =>
        {
            var tenant = context.Request.Headers["X-Tenant-ID"].ToString();
            return api._things.TryGetValue((tenant, id), out var name)
                ? Results.Json(Thing(context, canary, tenant, id, name))
                : Results.Json(new JsonObject { ["status"] = 404, ["trace_id"] = Guid.NewGuid().ToString() }, statusCode: 404, contentType: "application/problem+json");
        });
        app.MapGet("/things", (HttpContext context) =>
        {
            if (IsCanary(context) && canary.FailsLists)
            {
                return Results.StatusCode(500);
            }

            var tenant = context.Request.Headers["X-Tenant-ID"].ToString();
            var items = new JsonArray([.. api._things.Where(thing => thing.Key.Tenant == tenant).Select(thing => (JsonNode)Thing(context, canary, tenant, thing.Key.Id, thing.Value))]);
            return Results.Json(new JsonObject { ["items"] = items, ["count"] = 1.50 * items.Count });
        });
        await app.StartAsync();
        return api;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static bool IsCanary(HttpContext context) => context.Items["canary"] is true;

    private static JsonObject Thing(HttpContext context, FakeCanary canary, string tenant, string id, string name) => new()
    {
        ["id"] = id,
        ["tenant"] = long.Parse(tenant, System.Globalization.CultureInfo.InvariantCulture),
        ["name"] = IsCanary(context) && canary.ShoutsNames ? name.ToUpperInvariant() : name,
        ["read_at"] = DateTime.UtcNow.ToString("O"),
    };
}
