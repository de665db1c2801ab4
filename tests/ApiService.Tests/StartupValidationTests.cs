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
    [InlineData("--StoreService:Address=http://127.0.0.1:1", "--Cors:AllowedOrigins:0=https://app.example.test/path")]
    [InlineData("--StoreService:Address=http://127.0.0.1:1", "--Cors:AllowedOrigins:0=https://app.example.test/")]
    [InlineData("--StoreService:Address=http://127.0.0.1:1", "--Cors:AllowedOrigins:0=*")]
    public async Task Invalid_configuration_stops_the_start(params string[] settings)
    {
        await using var app = ApiApplication.Build(["--urls=http://127.0.0.1:0", .. settings]);

        await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
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
