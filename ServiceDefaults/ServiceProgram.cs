using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CanaryDemo.ServiceDefaults;

/// <summary>What both services' Program.cs run: the host, and one clear line and a non-zero exit code when it cannot start.</summary>
public static class ServiceProgram
{
    /// <summary>Exit code of a start refused because of invalid configuration.</summary>
    public const int InvalidConfigurationExitCode = 2;

    /// <summary>
    /// The services take their settings from the environment; they ship no appsettings file, so the
    /// host need not watch the content root for one (a watcher thread, about 0.5 MiB per process).
    /// First, so that a command line can still turn it back on.
    /// </summary>
    private const string NoConfigurationReload = "--hostBuilder:reloadConfigOnChange=false";

    public static async Task<int> RunAsync(ServiceIdentity service, Func<string[], WebApplication> build, string[] args)
    {
        // The host's own logger does not exist yet (or any more) where start-up fails.
        await using var logger = ServiceLogging.CreateLogger(service);
        try
        {
            await using var app = build([NoConfigurationReload, .. args]);
            // What ValidateOnStart would check inside StartAsync, checked before it, so that invalid
            // options end in the one line below instead of the host's report with a stack trace.
            app.Services.GetService<IStartupValidator>()?.Validate();
            await app.RunAsync();
            return 0;
        }
        catch (Exception exception) when (ValidationFailures(exception) is { Length: > 0 } failures)
        {
            logger.Fatal("Invalid configuration, not starting: {errors:l}", string.Join(" ", failures));
            return InvalidConfigurationExitCode;
        }
        catch (Exception exception)
        {
            logger.Fatal(exception, "{service:l} failed", service.Name);
            return 1;
        }
    }

    /// <summary>The messages of an options validation failure; several invalid sections come as an AggregateException.</summary>
    private static string[] ValidationFailures(Exception exception) => exception switch
    {
        OptionsValidationException validation => [.. validation.Failures],
        AggregateException aggregate when aggregate.InnerExceptions.All(inner => inner is OptionsValidationException) =>
            [.. aggregate.InnerExceptions.SelectMany(inner => ((OptionsValidationException)inner).Failures)],
        _ => [],
    };
}
