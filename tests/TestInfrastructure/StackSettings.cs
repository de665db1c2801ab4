using System.Globalization;
using CanaryDemo.AppHost;

namespace CanaryDemo.Testing;

/// <summary>
/// What a test stack runs, as the AppHost's <c>Stack:*</c> settings: the engine <see cref="LocalEngine"/>
/// names, the time budgets of <see cref="ServiceBudgets"/>, and whatever a suite varies.
/// </summary>
public sealed record StackSettings
{
    /// <summary>Where the DynamoDB keeps its data (and the run's logs and process ids); in memory when null.</summary>
    public string? State { get; init; }

    /// <summary>The services' own time budgets instead of the relaxed ones, for the tests that measure time to an answer.</summary>
    public bool ShippedBudgets { get; init; }

    public IReadOnlyList<string> CorsOrigins { get; init; } = [];

    /// <summary>PR tracks (<c>--pr</c> arguments).</summary>
    public IReadOnlyList<string> Prs { get; init; } = [];

    public string PrData { get; init; } = "shared";

    /// <summary>The issuer the api trusts in <c>Jwt</c> mode; header mode when null.</summary>
    public JwtIssuer? Jwt { get; init; }

    /// <summary>Whether api-service tracks run (the store's suites need none).</summary>
    public bool Api { get; init; } = true;

    /// <summary>Whether the dashboard runs and every process sends it telemetry.</summary>
    public bool Dashboard { get; init; }

    /// <summary>Settings added to every track of a service, by service name, after the budgets.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Environment { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();

    internal string[] Arguments()
    {
        var arguments = new List<string>
        {
            $"--Stack:Engine={LocalEngine.Name}",
            $"--Stack:InMemory={State is null}",
            $"--Stack:PrData={PrData}",
            $"--Stack:Api={Api}",
        };
        if (State is not null)
        {
            arguments.Add($"--Stack:State={State}");
        }

        Add("CorsOrigins", CorsOrigins);
        Add("Prs", Prs);
        if (Jwt is not null)
        {
            arguments.AddRange(["--Stack:Auth=jwt", $"--Stack:Jwt:Issuer={Jwt.Issuer}", $"--Stack:Jwt:Audience={Jwt.Audience}", $"--Stack:Jwt:SigningKeys={Jwt.SigningKeys}"]);
        }

        foreach (var (service, budgets) in new[] { (LocalServices.StoreService, ServiceBudgets.RelaxedStore), (LocalServices.ApiService, ServiceBudgets.RelaxedApi) })
        {
            var settings = ShippedBudgets ? new Dictionary<string, string>() : new Dictionary<string, string>(budgets);
            foreach (var (key, value) in Environment.GetValueOrDefault(service) ?? new Dictionary<string, string>())
            {
                settings[key] = value;
            }

            arguments.AddRange(settings.Select(setting => $"--Stack:Environment:{service}:{setting.Key}={setting.Value}"));
        }

        return [.. arguments];

        void Add(string key, IReadOnlyList<string> values) =>
            arguments.AddRange(values.Select((value, index) => $"--Stack:{key}:{index.ToString(CultureInfo.InvariantCulture)}={value}"));
    }
}

/// <summary>The local DynamoDB the test stacks run: <c>DYNAMODB_ENGINE</c> (<c>dynamodb-local</c>, the default, or <c>dynalite</c>).</summary>
public static class LocalEngine
{
    public const string Variable = "DYNAMODB_ENGINE";

    public static string Name => System.Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } engine ? engine : StackOptions.DynamoDbLocal;
}
