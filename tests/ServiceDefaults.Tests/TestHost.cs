using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CanaryDemo.ServiceDefaults.Tests;

/// <summary>A minimal service wired like ours: the service defaults and the listeners, nothing else.</summary>
internal static class TestHost
{
    public static readonly ServiceIdentity Service = new("test-service", "1.2.3");

    public static WebApplication Build(params string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.AddServiceDefaults(Service);
        builder.ConfigureListeners(HttpProtocols.Http1);
        var app = builder.Build();
        app.UseServiceDefaults();
        app.MapGet("/", () => "application");
        return app;
    }
}
