using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using CanaryDemo.AppHost.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CanaryDemo.AppHost;

/// <summary>
/// The local stack as Aspire resources, the one description of it: the local DynamoDB, a
/// store-service and an api-service per track, with PR tracks the local edge and east-west
/// proxies and their routing file, and the stable ref's build. Every process is an executable on
/// fixed loopback ports (not proxied by the orchestrator, so a port is the process's own, and a
/// restarted process gets it back) and waits for what it needs.
/// </summary>
public static class LocalStack
{
    public const string EdgeProxy = "edge-proxy";
    public const string EastWestProxy = "east-west-proxy";
    public const string ProxyRoutes = "proxy-routes";
    public const string StableBuild = "stable-build";

    /// <summary>The application endpoint of every process; services also have <see cref="ManagementEndpoint"/>.</summary>
    public const string HttpEndpoint = "http";
    public const string ManagementEndpoint = "management";

    /// <param name="builder">The AppHost's builder.</param>
    /// <param name="options">What to run.</param>
    /// <param name="state">The run's state folder.</param>
    /// <param name="telemetry">Whether the processes send traces, logs and metrics to the dashboard (it runs).</param>
    public static StackLayout AddLocalStack(this IDistributedApplicationBuilder builder, StackOptions options, StackState state, bool telemetry)
    {
        var stack = new Resources(builder, options, state, telemetry);
        stack.AddAll();
        return stack.Layout;
    }

    private sealed class Resources(IDistributedApplicationBuilder builder, StackOptions options, StackState state, bool telemetry)
    {
        private readonly string _root = RepositoryLayout.Root;
        private readonly IReadOnlyList<PrTrack> _tracks = options.Tracks();

        public StackLayout Layout { get; } = new(options, state);

        public void AddAll()
        {
            Layout.HasPrTracks = _tracks.Count > 0;
            Layout.DynamoPort = FreePorts.OrFree(options.DynamoPort);
            Layout.ApiPort = FreePorts.OrFree(options.ApiPort);
            Layout.StorePort = FreePorts.OrFree(options.StorePort);
            if (options.Auth == "jwt")
            {
                Layout.Jwt = options.Jwt ?? LocalIssuer.Trust(state.Folder);
            }

            // Every service track's ports, known before anything is added: the routing file names them all.
            // Without PR tracks the stable services take the public ports; with them the proxies do.
            var stableStore = new StackProcess(LocalServices.StoreService,
                Layout.HasPrTracks ? FreePorts.OrFree(0) : Layout.StorePort, FreePorts.OrFree(options.StoreMetricsPort));
            var stableApi = new StackProcess(LocalServices.ApiService,
                Layout.HasPrTracks ? FreePorts.OrFree(0) : Layout.ApiPort, FreePorts.OrFree(options.ApiMetricsPort));
            var prTracks = _tracks.ToDictionary(track => track, track => new StackProcess(track.Name, FreePorts.OrFree(0), FreePorts.OrFree(0)));

            var engine = AddEngine();
            var stableBuild = options.StableRef is { } reference
                ? AddStep(StableBuild, Path.Combine(_root, "scripts", "lib", "build-stable-ref"), [reference, state.StableCheckout])
                : null;
            ServiceBinary StableBinary(string service) =>
                stableBuild is null ? ServiceBinary.Of(service, builder.Configuration) : ServiceBinary.InCheckout(service, state.StableCheckout);

            var pageTokenKey = state.PageTokenKey();
            var stores = new List<IResourceBuilder<ExecutableResource>>
            {
                WaitForBuild(AddStore(stableStore, LocalServices.StableTrack, StableBinary(LocalServices.StoreService), LocalServices.StoreTable(), pageTokenKey, engine), stableBuild),
            };
            foreach (var (track, process) in prTracks.Where(pair => pair.Key.Service == LocalServices.StoreService))
            {
                var table = options.PrData == "isolated" ? LocalServices.StoreTable(track.Pr) : LocalServices.StoreTable();
                stores.Add(AddStore(process, track.Track, ServiceBinary.Of(LocalServices.StoreService, builder.Configuration), table, pageTokenKey, engine));
            }

            var dialedStore = stores[0];
            IResourceBuilder<ExecutableResource>? routes = null;
            if (Layout.HasPrTracks)
            {
                routes = AddRoutes([stableStore, stableApi, .. prTracks.Values]);
                dialedStore = AddProxy(EastWestProxy, "east-west", Layout.StorePort, routes);
                foreach (var store in stores)
                {
                    dialedStore.WaitFor(store);
                }
            }

            if (!options.Api)
            {
                return;
            }

            var apis = new List<IResourceBuilder<ExecutableResource>>
            {
                WaitForBuild(AddApi(stableApi, LocalServices.StableTrack, StableBinary(LocalServices.ApiService), dialedStore), stableBuild),
            };
            foreach (var (track, process) in prTracks.Where(pair => pair.Key.Service == LocalServices.ApiService))
            {
                apis.Add(AddApi(process, track.Track, ServiceBinary.Of(LocalServices.ApiService, builder.Configuration), dialedStore));
            }

            if (routes is not null)
            {
                var edge = AddProxy(EdgeProxy, "edge", Layout.ApiPort, routes);
                foreach (var api in apis)
                {
                    edge.WaitFor(api);
                }
            }
        }

        /// <summary>The local DynamoDB: DynamoDB Local (a JVM, warmed up before use) or dynalite, in memory or on the state folder.</summary>
        private IResourceBuilder<ExecutableResource> AddEngine()
        {
            var port = Layout.DynamoPort.ToString(CultureInfo.InvariantCulture);
            string[] data = options.InMemory ? [] : ["--path", state.DataOf(options.Engine)];
            var (command, arguments) = options.Engine == StackOptions.DynamoDbLocal
                ? (Path.Combine(_root, "tools", "dynamodb-local", "start"), new[] { "--port", port })
                : (Path.Combine(_root, "tools", "dynalite", "node_modules", ".bin", "dynalite"), new[] { "--host", "127.0.0.1", "--port", port, "--createTableMs", "50" });
            var engine = AddProcess(new StackProcess(options.Engine, Layout.DynamoPort), command, [.. arguments, .. data]);
            return engine.WithHealthCheck(AddCheck(options.Engine,
                new DynamoDbAnswers($"http://127.0.0.1:{port}", warmUp: options.Engine == StackOptions.DynamoDbLocal)));
        }

        private IResourceBuilder<ExecutableResource> AddStore(
            StackProcess process, string track, ServiceBinary binary, string table, string pageTokenKey, IResourceBuilder<ExecutableResource> engine)
        {
            var environment = LocalServices.Store($"http://127.0.0.1:{Layout.DynamoPort}", table, pageTokenKey, process.MetricsPort!.Value, track);
            return AddService(process, LocalServices.StoreService, track, binary, environment)
                .WithHealthCheck(AddCheck(process.Name, new StoreServing(process.Url!)))
                .WaitFor(engine);
        }

        private IResourceBuilder<ExecutableResource> AddApi(
            StackProcess process, string track, ServiceBinary binary, IResourceBuilder<ExecutableResource> dialedStore)
        {
            // Every api track dials the store port: the stable store, or the east-west proxy.
            var environment = LocalServices.Api($"http://127.0.0.1:{Layout.StorePort}", process.MetricsPort!.Value, track);
            for (var index = 0; index < options.CorsOrigins.Count; index++)
            {
                environment[$"Cors__AllowedOrigins__{index}"] = options.CorsOrigins[index];
            }

            if (Layout.Jwt is { } issuer)
            {
                foreach (var (key, value) in LocalServices.JwtMode(issuer))
                {
                    environment[key] = value;
                }
            }

            // Development: the OpenAPI UI (/scalar) for whoever runs the stack by hand.
            environment["ASPNETCORE_ENVIRONMENT"] = "Development";
            return AddService(process, LocalServices.ApiService, track, binary, environment)
                .WithHttpHealthCheck("/healthz/ready", endpointName: HttpEndpoint)
                .WaitFor(dialedStore);
        }

        private IResourceBuilder<ExecutableResource> AddService(
            StackProcess process, string service, string track, ServiceBinary binary, Dictionary<string, string> environment)
        {
            foreach (var (key, value) in options.Environment.GetValueOrDefault(service) ?? [])
            {
                environment[key] = value;
            }

            return AddProcess(process, binary.Command, [.. binary.Arguments, "--urls", process.Url!])
                .WithHttpEndpoint(port: process.MetricsPort, name: ManagementEndpoint, isProxied: false)
                .WithTelemetry(telemetry, service, track)
                .WithEnvironment(context =>
                {
                    foreach (var (key, value) in environment)
                    {
                        context.EnvironmentVariables[key] = value;
                    }
                });
        }

        /// <summary>The routing file of the proxies, rendered from the manifests for these PRs and the tracks' addresses (needs kubectl).</summary>
        private IResourceBuilder<ExecutableResource> AddRoutes(IEnumerable<StackProcess> backends)
        {
            var arguments = new List<string>();
            foreach (var spec in options.Prs)
            {
                arguments.AddRange(["--pr", spec]);
            }

            foreach (var backend in backends)
            {
                arguments.AddRange(["--backend", $"{backend.Name}={backend.Url}"]);
            }

            // The generator prints the file; the shell puts it where the proxies read it.
            return AddStep(ProxyRoutes, "bash", ["-c", "node manifests-microservices/local/proxy-routes.js \"$@\" > \"$ROUTING_FILE\"", ProxyRoutes, .. arguments])
                .WithEnvironment("ROUTING_FILE", state.RoutingFile);
        }

        private IResourceBuilder<ExecutableResource> AddProxy(string name, string role, int port, IResourceBuilder<ExecutableResource> routes)
        {
            var assembly = RepositoryLayout.BuiltAssembly(new Projects.LocalProxy().ProjectPath, RepositoryLayout.Configuration);
            var process = new StackProcess(name, port);
            return AddProcess(process, "dotnet", [assembly, "--role", role, "--routes", state.RoutingFile, "--urls", process.Url!])
                .WithTelemetry(telemetry, name, track: null)
                .WithHealthCheck(AddCheck(name, new Listening(port)))
                .WaitForCompletion(routes);
        }

        private IResourceBuilder<ExecutableResource> AddStep(string name, string command, string[] arguments) =>
            AddProcess(new StackProcess(name, Port: null, RunsToCompletion: true), command, arguments);

        private IResourceBuilder<ExecutableResource> AddProcess(StackProcess process, string command, string[] arguments)
        {
            Layout.Add(process);
            var resource = builder.AddExecutable(process.Name, command, _root, arguments);
            return process.Port is { } port ? resource.WithHttpEndpoint(port: port, name: HttpEndpoint, isProxied: false) : resource;
        }

        private string AddCheck(string name, IHealthCheck check)
        {
            var key = $"{name}-ready";
            builder.Services.AddHealthChecks().AddCheck(key, check);
            return key;
        }

        private static IResourceBuilder<ExecutableResource> WaitForBuild(IResourceBuilder<ExecutableResource> service, IResourceBuilder<ExecutableResource>? build) =>
            build is null ? service : service.WaitForCompletion(build);
    }
}
