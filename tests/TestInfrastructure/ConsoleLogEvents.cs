using System.Text.Json;

namespace CanaryDemo.Testing;

/// <summary>
/// The JSON log events an in-process service writes to stdout. Console.SetOut is process-wide: the
/// tests that use this run in a collection of their own with parallelisation off.
/// </summary>
public static class ConsoleLogEvents
{
    /// <summary>Runs <paramref name="action"/> with stdout captured and returns the JSON log events it wrote.</summary>
    public static async Task<JsonElement[]> CaptureAsync(Func<Task> action)
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
