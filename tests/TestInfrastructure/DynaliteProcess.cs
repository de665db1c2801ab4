using System.Diagnostics;
using System.Globalization;

namespace CanaryDemo.Testing;

/// <summary>dynalite (a DynamoDB implementation on Node.js, <c>tools/dynalite</c>): starts in well under a second.</summary>
public sealed class DynaliteProcess : LocalDynamoDb
{
    public const string EngineName = "dynalite";

    internal DynaliteProcess(string? dataPath)
        : base(dataPath)
    {
    }

    public override string Name => EngineName;

    protected override TimeSpan StartTimeout => TimeSpan.FromSeconds(15);

    protected override ProcessStartInfo Command()
    {
        var start = new ProcessStartInfo(RepositoryPaths.Dynalite)
        {
            ArgumentList = { "--host", "127.0.0.1", "--port", Port.ToString(CultureInfo.InvariantCulture), "--createTableMs", "50" },
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
        if (!File.Exists(RepositoryPaths.Dynalite))
        {
            throw new InvalidOperationException(
                $"dynalite is not installed ({RepositoryPaths.Dynalite} is missing): run `npm ci --prefix tools/dynalite` " +
                "in the repository root first.");
        }
    }
}
