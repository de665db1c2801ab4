using System.Globalization;

namespace CanaryDemo.AppHost;

/// <summary>
/// The environment each service of the local stack starts with, as a container would get it from
/// its manifests: the one place it is written. The AppHost gives it to every track; the tests that
/// start a single service process on purpose (start-up validation, lifecycle) read it from here.
/// </summary>
public static class LocalServices
{
    public const string StoreService = "store-service";
    public const string ApiService = "api-service";

    /// <summary>The track of the stable copies; a PR's copies are <c>pr-&lt;n&gt;</c>.</summary>
    public const string StableTrack = "stable";

    /// <summary>The store's table: the one every track shares, or a PR's own with isolated data.</summary>
    public static string StoreTable(int? pr = null) =>
        pr is { } number ? $"canarydemo-items-pr-{number.ToString(CultureInfo.InvariantCulture)}" : "canarydemo-items";

    /// <param name="dynamoDbUrl">The local DynamoDB.</param>
    /// <param name="tableName">Its table (<see cref="StoreTable"/>).</param>
    /// <param name="pageTokenKey">The page-token signing key, base64 (32 bytes).</param>
    /// <param name="managementPort">The port of <c>/metrics</c>.</param>
    /// <param name="track"><see cref="StableTrack"/> or <c>pr-&lt;n&gt;</c>.</param>
    public static Dictionary<string, string> Store(string dynamoDbUrl, string tableName, string pageTokenKey, int managementPort, string track) => new()
    {
        // DynamoDB Local and dynalite take any credentials; the SDK must not look for real ones.
        ["AWS_ACCESS_KEY_ID"] = "local",
        ["AWS_SECRET_ACCESS_KEY"] = "local",
        ["AWS_EC2_METADATA_DISABLED"] = "true",
        ["Store__Region"] = "us-east-1",
        ["Store__ServiceUrl"] = dynamoDbUrl,
        ["Store__TableName"] = tableName,
        ["Store__CreateTableIfMissing"] = "true",
        ["Store__PageTokenSigningKey"] = pageTokenKey,
        ["Management__Port"] = managementPort.ToString(CultureInfo.InvariantCulture),
        ["Canary__Track"] = track,
    };

    /// <param name="storeAddress">What the api dials: the store, or the east-west proxy in front of the store tracks.</param>
    /// <param name="managementPort">The port of <c>/metrics</c>.</param>
    /// <param name="track"><see cref="StableTrack"/> or <c>pr-&lt;n&gt;</c>.</param>
    public static Dictionary<string, string> Api(string storeAddress, int managementPort, string track) => new()
    {
        ["StoreService__Address"] = storeAddress,
        ["Management__Port"] = managementPort.ToString(CultureInfo.InvariantCulture),
        ["Canary__Track"] = track,
        // Outside production every response says which track served each hop (X-Canary-Route).
        ["Canary__RouteHeader"] = "true",
    };

    /// <summary>The api's <c>Jwt</c> tenancy mode, trusting one issuer (docs/security.md).</summary>
    public static Dictionary<string, string> JwtMode(JwtIssuer issuer) => new()
    {
        ["Auth__Mode"] = "Jwt",
        ["Auth__Jwt__Issuer"] = issuer.Issuer,
        ["Auth__Jwt__Audience"] = issuer.Audience,
        ["Auth__Jwt__SigningKeys"] = issuer.SigningKeys,
    };
}

/// <summary>What an api needs to trust a token issuer: its <c>iss</c>, the <c>aud</c> it mints for and its public keys (a JWKS).</summary>
public sealed record JwtIssuer(string Issuer, string Audience, string SigningKeys);
