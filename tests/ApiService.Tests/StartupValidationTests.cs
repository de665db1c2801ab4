using CanaryDemo.ApiService;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CanaryDemo.ApiService.Tests;

/// <summary>Options are validated when the host starts, not on the first request.</summary>
public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("--StoreService:TimeoutSeconds=5")]
    [InlineData("--StoreService:Address=not a url")]
    [InlineData("--StoreService:Address=http://127.0.0.1:1", "--StoreService:TimeoutSeconds=0")]
    [InlineData("--StoreService:Address=http://127.0.0.1:1", "--StoreService:TimeoutSeconds=301")]
    [InlineData("--StoreService:Address=http://127.0.0.1:1", "--StoreService:AttemptTimeoutMilliseconds=99")]
    [InlineData("--StoreService:Address=http://127.0.0.1:1", "--StoreService:TimeoutSeconds=1", "--StoreService:AttemptTimeoutMilliseconds=1500")]
    [InlineData("--StoreService:Address=http://127.0.0.1:1", "--Cors:AllowedOrigins:0=https://app.example.test/path")]
    [InlineData("--StoreService:Address=http://127.0.0.1:1", "--Cors:AllowedOrigins:0=https://app.example.test/")]
    [InlineData("--StoreService:Address=http://127.0.0.1:1", "--Cors:AllowedOrigins:0=*")]
    public async Task Invalid_configuration_stops_the_start(params string[] settings)
    {
        await using var app = ApiApplication.Build(["--urls=http://127.0.0.1:0", .. settings]);

        await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
    }

    [Fact]
    public async Task The_process_refuses_bad_configuration_with_one_clear_line_and_exit_code_2()
    {
        var environment = ApiServiceProcess.BaseEnvironment("not a url");
        environment["StoreService__TimeoutSeconds"] = "0";
        await using var api = ApiServiceProcess.Start(environment);

        var exitCode = await api.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, exitCode);
        var fatal = Assert.Single(api.Logs);
        Assert.Equal("Fatal", fatal.GetProperty("@l").GetString());
        Assert.Equal("api-service", fatal.GetProperty("service").GetString());
        var message = fatal.GetProperty("@m").GetString()!;
        Assert.StartsWith("Invalid configuration, not starting: ", message);
        Assert.Contains("Address", message);
        Assert.Contains("TimeoutSeconds", message);
    }

    [Fact]
    public async Task Shutdown_timeout_defaults_to_20_seconds_and_can_be_configured()
    {
        await using var defaults = ApiApplication.Build(["--StoreService:Address=http://127.0.0.1:1"]);
        await using var configured = ApiApplication.Build(["--StoreService:Address=http://127.0.0.1:1", "--HostOptions:ShutdownTimeout=00:00:07"]);

        Assert.Equal(TimeSpan.FromSeconds(20), defaults.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
        Assert.Equal(TimeSpan.FromSeconds(7), configured.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }
}
