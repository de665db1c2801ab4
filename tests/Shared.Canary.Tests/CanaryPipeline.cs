using System.Diagnostics.Metrics;
using System.Net;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CanaryDemo.Shared.Canary.Tests;

/// <summary>
/// Two real Kestrel servers on loopback wired the way the services wire the library: an HTTP edge
/// (<c>UseCanaryContext</c>, gRPC client with <c>AddCanaryPropagation</c>; track stable, route header
/// on) calling a gRPC server (<c>AddGrpc().AddCanaryContext()</c>; track pr-42) that reports what it observed.
/// </summary>
public sealed class CanaryPipeline : IAsyncLifetime
{
    public const string CustomMetadataKey = "x-custom";
    public const string EdgeName = "edge-service";
    public const string ServerName = "probe-service";
    public const string ServerTrack = "pr-42";
    private WebApplication? grpcServer;
    private WebApplication? edge;

    public HttpClient Client { get; } = new();

    /// <summary>
    /// Listens to one of the edge's instruments only. Other tests' hosts in this process publish the
    /// same instruments; the edge's meters are those its own IMeterFactory created (their Scope).
    /// </summary>
    public MeterListener ListenToEdge<T>(string meterName, string instrumentName, Action<T, KeyValuePair<string, object?>[]> measured)
        where T : struct
    {
        var edgeMeters = (edge ?? throw new InvalidOperationException("The edge is not running.")).Services.GetRequiredService<IMeterFactory>();
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == edgeMeters && instrument.Meter.Name == meterName && instrument.Name == instrumentName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<T>((_, value, tags, _) => measured(value, tags.ToArray()));
        listener.Start();
        return listener;
    }

    public async Task InitializeAsync()
    {
        var serverBuilder = WebApplication.CreateSlimBuilder();
        serverBuilder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        serverBuilder.Configuration["Canary:Track"] = ServerTrack;
        serverBuilder.Services.AddCanaryTrack(serverBuilder.Configuration, ServerName);
        serverBuilder.Services.AddGrpc().AddCanaryContext();
        grpcServer = serverBuilder.Build();
        grpcServer.MapGrpcService<ProbeService>();
        await grpcServer.StartAsync();

        var edgeBuilder = WebApplication.CreateSlimBuilder();
        edgeBuilder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        edgeBuilder.Configuration["Canary:RouteHeader"] = "true";
        edgeBuilder.Services.AddCanaryTrack(edgeBuilder.Configuration, EdgeName);
        edgeBuilder.Services
            .AddGrpcClient<Probe.ProbeClient>(o => o.Address = new Uri(grpcServer.Urls.Single()))
            .AddCanaryPropagation();
        edge = edgeBuilder.Build();
        edge.UseCanaryContext();
        edge.MapGet("/call", async (Probe.ProbeClient probe, bool? stale, bool? fail) =>
        {
            // A caller's own metadata; optionally a stale x-canary that the ambient value must replace.
            var headers = new Metadata { { CustomMetadataKey, "keep" } };
            if (stale == true)
            {
                headers.Add(CanaryHeaders.MetadataKey, "999");
            }

            try
            {
                var reply = await probe.InspectAsync(new InspectRequest { Fail = fail == true }, headers);
                return Results.Text(JsonFormatter.Default.Format(reply), "application/json");
            }
            catch (RpcException exception)
            {
                return Results.Text(exception.StatusCode.ToString(), statusCode: StatusCodes.Status502BadGateway);
            }
        });
        edge.MapGet("/ambient", () => CanaryContext.Current ?? "none");
        await edge.StartAsync();
        Client.BaseAddress = new Uri(edge.Urls.Single());
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        foreach (var app in new[] { edge, grpcServer })
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }
        }
    }

    private sealed class ProbeService : Probe.ProbeBase
    {
        public override Task<InspectReply> Inspect(InspectRequest request, ServerCallContext context)
        {
            if (request.Fail)
            {
                throw new RpcException(new Status(StatusCode.NotFound, "asked to fail"));
            }

            var reply = new InspectReply { AmbientCanary = CanaryContext.Current ?? "" };
            reply.Metadata.AddRange(context.RequestHeaders.Select(e => new MetadataEntry { Key = e.Key, Value = e.Value }));
            return Task.FromResult(reply);
        }
    }
}
