using System.Diagnostics;
using CanaryDemo.CanaryCheck.Analysis;

namespace CanaryDemo.CanaryCheck.Tests;

public class CommandLineTests
{
    [Fact]
    public async Task Defaults_are_the_local_edge_the_default_scenario_and_the_documented_thresholds()
    {
        var options = await ParseAsync("--pr", "42");

        Assert.Equal("42", options.Pr);
        Assert.Equal(new Uri("http://127.0.0.1:8080"), options.Url);
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "default-scenario.yaml"), options.ScenarioPath);
        Assert.Equal("tools/CanaryCheck/default-scenario.yaml", options.ScenarioName);
        Assert.Equal(LatencyThresholds.Default, options.Latency);
        Assert.Equal(new LatencyThresholds(30, 1.25, 5), options.Latency);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Timeout);
        Assert.Null(options.OutDirectory);
        Assert.Empty(options.Headers);
    }

    [Fact]
    public async Task Every_option_is_read()
    {
        var options = await ParseAsync(
            "--pr", "7", "--url", "https://api.dev.example.com", "--scenario", "mine.yaml", "--out", "report", "--header", "X-Api-Key: k:1",
            "--header", "X-Other:x", "--token-command", "mint", "--latency-pairs", "20", "--latency-ratio", "1.5", "--latency-min-ms", "2", "--timeout", "9");

        Assert.Equal(("mine.yaml", "mine.yaml", "report", "mint"), (options.ScenarioPath, options.ScenarioName, options.OutDirectory, options.TokenCommand));
        Assert.Equal([KeyValuePair.Create("X-Api-Key", "k:1"), KeyValuePair.Create("X-Other", "x")], options.Headers);
        Assert.Equal((new LatencyThresholds(20, 1.5, 2), TimeSpan.FromSeconds(9)), (options.Latency, options.Timeout));
    }

    [Theory]
    [InlineData("--pr must be a PR number", "--pr", "042")]
    [InlineData("--pr must be a PR number", "--pr", "0")]
    [InlineData("--pr must be a PR number", "--pr", "1234567890")]
    [InlineData("--pr", "--url", "http://127.0.0.1:8080")]
    [InlineData("--url must be an absolute http or https URL", "--pr", "42", "--url", "ftp://host")]
    [InlineData("--header cannot set X-Canary", "--pr", "42", "--header", "x-canary: 7")]
    [InlineData("--header must be 'Name: value'", "--pr", "42", "--header", "no colon")]
    [InlineData("--latency-pairs must be from 20 to 1000", "--pr", "42", "--latency-pairs", "19")]
    [InlineData("--latency-ratio must be a ratio above 1", "--pr", "42", "--latency-ratio", "1")]
    [InlineData("--timeout must be from 1 to 600 seconds", "--pr", "42", "--timeout", "0")]
    public void Bad_options_are_refused_with_what_was_expected(string message, params string[] args)
    {
        var errors = CommandLine.Create((_, _) => Task.FromResult(0)).Parse(args).Errors;

        Assert.Contains(errors, error => error.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bad_option_exits_2_could_not_run_never_1_which_means_a_regression()
    {
        using var process = Process.Start(new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "CanaryCheck.dll"), "--pr", "042"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("--pr must be a PR number (digits, no leading zero, at most 9), not '042'", errors, StringComparison.Ordinal);
    }

    private static async Task<CheckOptions> ParseAsync(params string[] args)
    {
        CheckOptions? parsed = null;
        var exitCode = await CommandLine.Create((options, _) =>
        {
            parsed = options;
            return Task.FromResult(0);
        }).Parse(args).InvokeAsync();
        Assert.Equal(0, exitCode);
        return parsed!;
    }
}
