using CanaryDemo.AppHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// The local stack (docs/README.md, "Running locally"): started by scripts/run, which installs what
// it needs and passes its flags as the Stack:* settings (StackOptions), and by the end-to-end,
// multi-track and observability tests (Aspire.Hosting.Testing).
var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
{
    Args = [.. args, .. DashboardAddress.Arguments(args)],
    DashboardApplicationName = "CanaryDemo",
    DisableDashboard = !StackOptions.DashboardWanted(args),
});
var options = builder.Configuration.GetSection(StackOptions.SectionName).Get<StackOptions>() ?? new StackOptions();
if (options.Problems() is { Count: > 0 } problems)
{
    foreach (var problem in problems)
    {
        await Console.Error.WriteLineAsync($"error: {problem}");
    }

    return 2;
}

// The orchestrator's own progress and the dashboard's warnings about running without a login
// (it does so on purpose, on loopback) would bury the run command's output.
builder.Services.AddLogging(logging => logging
    .AddFilter("Aspire.Hosting", LogLevel.Warning)
    .AddFilter("Aspire.Hosting.Dashboard", LogLevel.Error)
    .AddFilter("Microsoft", LogLevel.Warning)
    .AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error)
    // A run stopped because a process died before the stack was ready (RunReport says which and
    // why) ends the orchestrator's start with a cancellation the host would report as its own.
    .AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical));

var dashboard = builder.Services.Select(service => service.ImplementationInstance).OfType<DistributedApplicationOptions>().FirstOrDefault() is { DisableDashboard: false }
    ? new DashboardAddress(DashboardAddress.FirstUrl(builder.Configuration))
    : new DashboardAddress(null);
var state = StackState.Open(options.State);
var layout = builder.AddLocalStack(options, state, telemetry: dashboard.Url is not null);
builder.Services.AddSingleton(layout);
builder.Services.AddSingleton(dashboard);
builder.Services.AddSingleton<RunReport>();
builder.Eventing.Subscribe<BeforeStartEvent>((start, _) =>
{
    start.Services.GetRequiredService<RunReport>().Begin();
    return Task.CompletedTask;
});

await using var app = builder.Build();
await app.RunAsync();
Console.WriteLine("stopped");
return app.Services.GetRequiredService<RunReport>().ExitCode;
