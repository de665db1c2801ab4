using System.Text.Json;

namespace CanaryDemo.ServiceDefaults.Tests;

/// <summary>Console.SetOut is process-wide, so the tests that capture it run alone, after the parallel ones.</summary>
[CollectionDefinition(nameof(ConsoleCapture), DisableParallelization = true)]
public sealed class ConsoleCapture
{
    /// <summary>Runs <paramref name="action"/> with stdout captured and returns the JSON log events it wrote.</summary>
    public static async Task<JsonElement[]> LogEventsOfAsync(Func<Task> action)
    {
        var original = Console.Out;
        var captured = new StringWriter();
        Console.SetOut(TextWriter.Synchronized(captured));
        try
        {
            await action();
        }
        finally
        {
            Console.SetOut(original);
        }

        return [.. captured.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];
    }
}
