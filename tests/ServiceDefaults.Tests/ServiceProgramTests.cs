using System.Net;
using System.Net.Sockets;
using CanaryDemo.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CanaryDemo.ServiceDefaults.Tests;

/// <summary>Start-up failures end in one clear log line and a non-zero exit code, the same for every service.</summary>
[Collection(nameof(ConsoleCapture))]
public sealed class ServiceProgramTests
{
    [Fact]
    public async Task Invalid_options_exit_with_2_and_one_line_listing_every_failure()
    {
        var exitCode = -1;
        var events = await ConsoleLogEvents.CaptureAsync(async () => exitCode = await ServiceProgram.RunAsync(
            TestHost.Service,
            _ => throw new OptionsValidationException("Test", typeof(object), ["Test:A is required.", "Test:B must be positive."]),
            []));

        Assert.Equal(ServiceProgram.InvalidConfigurationExitCode, exitCode);
        var fatal = Assert.Single(events);
        Assert.Equal("Fatal", fatal.GetProperty("@l").GetString());
        Assert.Equal("Invalid configuration, not starting: Test:A is required. Test:B must be positive.", fatal.GetProperty("@m").GetString());
        Assert.Equal("test-service", fatal.GetProperty("service").GetString());
        Assert.Equal("1.2.3", fatal.GetProperty("version").GetString());
        Assert.False(fatal.TryGetProperty("@x", out _));
    }

    [Theory]
    [InlineData("pr-0")]
    [InlineData("canary")]
    public async Task An_invalid_track_exits_with_2_and_one_line_naming_it(string track)
    {
        var exitCode = -1;
        var events = await ConsoleLogEvents.CaptureAsync(async () => exitCode = await ServiceProgram.RunAsync(
            TestHost.Service, TestHost.Build, ["--urls=http://127.0.0.1:0", $"--Management:Port={FreePort.Next()}", $"--Canary:Track={track}"]));

        Assert.Equal(ServiceProgram.InvalidConfigurationExitCode, exitCode);
        var fatal = Assert.Single(events);
        Assert.Equal(
            $"Invalid configuration, not starting: Canary:Track must be 'stable' or 'pr-<PR number>' (e.g. pr-42), not '{track}'.",
            fatal.GetProperty("@m").GetString());
    }

    [Fact]
    public async Task A_host_that_fails_to_start_exits_with_1_and_logs_the_failure()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var exitCode = -1;
        var events = await ConsoleLogEvents.CaptureAsync(async () => exitCode = await ServiceProgram.RunAsync(
            TestHost.Service, TestHost.Build, [$"--urls=http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}", $"--Management:Port={FreePort.Next()}"]));

        Assert.Equal(1, exitCode);
        var fatal = Assert.Single(events, e => e.GetProperty("@l").GetString() == "Fatal");
        Assert.Equal("test-service failed", fatal.GetProperty("@m").GetString());
        Assert.False(string.IsNullOrEmpty(fatal.GetProperty("@x").GetString()));
    }

    [Fact]
    public async Task Invalid_options_found_when_the_host_starts_also_exit_with_2()
    {
        var exitCode = -1;
        var events = await ConsoleLogEvents.CaptureAsync(async () => exitCode = await ServiceProgram.RunAsync(
            TestHost.Service,
            args =>
            {
                var builder = WebApplication.CreateSlimBuilder(args);
                builder.AddServiceDefaults(TestHost.Service);
                builder.Services.AddOptions<RequiredSetting>().Validate(setting => setting.Value is not null, "Required:Value is required.").ValidateOnStart();
                builder.Services.AddOptions<OtherSetting>().Validate(setting => setting.Value is not null, "Other:Value is required.").ValidateOnStart();
                return builder.Build();
            },
            ["--urls=http://127.0.0.1:0"]));

        Assert.Equal(ServiceProgram.InvalidConfigurationExitCode, exitCode);
        // One line, not the host's own report of a failed start with a stack trace.
        var fatal = Assert.Single(events);
        Assert.Equal("Invalid configuration, not starting: Required:Value is required. Other:Value is required.", fatal.GetProperty("@m").GetString());
    }

    private sealed class RequiredSetting
    {
        public string? Value { get; set; }
    }

    private sealed class OtherSetting
    {
        public string? Value { get; set; }
    }
}
