using CanaryDemo.ApiService;
using CanaryDemo.Testing.Auth;
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
    [InlineData("--StoreService:Address=http://127.0.0.1:1", "--StoreService:AttemptTimeoutMilliseconds=99")]
    [InlineData("--StoreService:Address=http://127.0.0.1:1", "--StoreService:TimeoutSeconds=1", "--StoreService:AttemptTimeoutMilliseconds=1500")]
    [InlineData("--StoreService:Address=http://127.0.0.1:1", "--Cors:AllowedOrigins:0=https://app.example.test/path")]
    [InlineData("--StoreService:Address=http://127.0.0.1:1", "--Cors:AllowedOrigins:0=https://app.example.test/")]
    [InlineData("--StoreService:Address=http://127.0.0.1:1", "--Cors:AllowedOrigins:0=*")]
    public async Task Invalid_configuration_stops_the_start(params string[] settings)
    {
        await using var app = ApiApplication.Build(["--urls=http://127.0.0.1:0", .. settings]);

        await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
    }

    private const string Store = "--StoreService:Address=http://127.0.0.1:1";
    private const string PublicKeys = """{"keys":[{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]}""";
    private const string PrivateKeys = """{"keys":[{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}]}""";

    [Theory]
    [InlineData("Auth:Mode must be Header or Jwt", "--Auth:Mode=Oauth")]
    [InlineData("Auth:Mode must be Header or Jwt", "--Auth:Mode=1")]
    [InlineData("Auth:Mode must be Header or Jwt", "--Auth:Mode= Jwt")]
    [InlineData("Audience is required", "--Auth:Mode=Jwt", "--Auth:Jwt:Issuer=https://issuer.test", "--Auth:Jwt:Authority=https://issuer.test")]
    [InlineData("Issuer is required", "--Auth:Mode=Jwt", "--Auth:Jwt:Audience=api", "--Auth:Jwt:Authority=https://issuer.test")]
    [InlineData("exactly one source of signing keys", "--Auth:Mode=Jwt", "--Auth:Jwt:Issuer=https://issuer.test", "--Auth:Jwt:Audience=api")]
    [InlineData("exactly one source of signing keys", "--Auth:Mode=Jwt", "--Auth:Jwt:Issuer=https://issuer.test", "--Auth:Jwt:Audience=api",
        "--Auth:Jwt:Authority=https://issuer.test", "--Auth:Jwt:SigningKeys=" + PublicKeys)]
    [InlineData("must use https", "--Auth:Mode=Jwt", "--Auth:Jwt:Issuer=https://issuer.test", "--Auth:Jwt:Audience=api", "--Auth:Jwt:Authority=http://issuer.test")]
    [InlineData("must be an absolute https URL", "--Auth:Mode=Jwt", "--Auth:Jwt:Issuer=https://issuer.test", "--Auth:Jwt:Audience=api", "--Auth:Jwt:MetadataAddress=issuer")]
    [InlineData("must be a JSON Web Key Set", "--Auth:Mode=Jwt", "--Auth:Jwt:Issuer=https://issuer.test", "--Auth:Jwt:Audience=api", "--Auth:Jwt:SigningKeys=-----BEGIN PUBLIC KEY-----")]
    [InlineData("public keys only", "--Auth:Mode=Jwt", "--Auth:Jwt:Issuer=https://issuer.test", "--Auth:Jwt:Audience=api", "--Auth:Jwt:SigningKeys=" + PrivateKeys)]
    [InlineData("ClockSkewSeconds", "--Auth:Mode=Jwt", "--Auth:Jwt:Issuer=https://issuer.test", "--Auth:Jwt:Audience=api", "--Auth:Jwt:SigningKeys=" + PublicKeys, "--Auth:Jwt:ClockSkewSeconds=301")]
    [InlineData("TenantClaim", "--Auth:Mode=Jwt", "--Auth:Jwt:Issuer=https://issuer.test", "--Auth:Jwt:Audience=api", "--Auth:Jwt:SigningKeys=" + PublicKeys, "--Auth:Jwt:TenantClaim=")]
    public async Task Invalid_auth_configuration_stops_the_start_naming_the_key(string message, params string[] settings)
    {
        await using var app = ApiApplication.Build(["--urls=http://127.0.0.1:0", Store, .. settings]);

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains(failure.Failures, text => text.Contains(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--Auth:Mode=Header")]
    [InlineData("--Auth:Mode=jwt", "--Auth:Jwt:Issuer=https://issuer.test", "--Auth:Jwt:Audience=api", "--Auth:Jwt:SigningKeys=" + PublicKeys)]
    [InlineData("--Auth:Mode=Jwt", "--Auth:Jwt:Issuer=https://issuer.test", "--Auth:Jwt:Audience=api", "--Auth:Jwt:Authority=https://issuer.test")]
    [InlineData("--Auth:Mode=Jwt", "--Auth:Jwt:Issuer=http://127.0.0.1:1", "--Auth:Jwt:Audience=api", "--Auth:Jwt:MetadataAddress=http://127.0.0.1:1/.well-known/openid-configuration",
        "--Auth:Jwt:RequireHttpsMetadata=false")]
    public async Task Valid_auth_configurations_start(params string[] settings)
    {
        await using var app = ApiApplication.Build(["--urls=http://127.0.0.1:0", $"--Management:Port={FreePort.Next()}", Store, .. settings]);

        await app.StartAsync();
        await app.StopAsync();
    }

    [Fact]
    public async Task The_process_refuses_an_unknown_auth_mode_with_one_line_and_exit_code_2()
    {
        var environment = ApiServiceProcess.BaseEnvironment("http://127.0.0.1:1");
        environment["Auth__Mode"] = "Jtw";

        var fatal = await RefusedStartAsync(environment);

        Assert.Equal("Invalid configuration, not starting: Auth:Mode must be Header or Jwt, not 'Jtw'.", fatal.GetProperty("@m").GetString());
    }

    [Fact]
    public async Task The_process_refuses_a_jwt_mode_without_keys_and_audience_with_exit_code_2()
    {
        var environment = ApiServiceProcess.BaseEnvironment("http://127.0.0.1:1");
        foreach (var (name, value) in new TestTokens().ApiSettings("__"))
        {
            environment[name] = value;
        }

        environment.Remove("Auth__Jwt__SigningKeys");
        environment["Auth__Jwt__Audience"] = "";

        var message = (await RefusedStartAsync(environment)).GetProperty("@m").GetString()!;

        Assert.Contains("Auth:Jwt:Audience is required", message, StringComparison.Ordinal);
        Assert.Contains("exactly one source of signing keys", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_process_refuses_bad_configuration_with_one_clear_line_and_exit_code_2()
    {
        var environment = ApiServiceProcess.BaseEnvironment("not a url");
        environment["StoreService__TimeoutSeconds"] = "0";

        var fatal = await RefusedStartAsync(environment);

        Assert.Equal("Fatal", fatal.GetProperty("@l").GetString());
        Assert.Equal("api-service", fatal.GetProperty("service").GetString());
        var message = fatal.GetProperty("@m").GetString()!;
        Assert.StartsWith("Invalid configuration, not starting: ", message);
        Assert.Contains("Address", message);
        Assert.Contains("TimeoutSeconds", message);
    }

    [Fact]
    public async Task Shutdown_timeout_defaults_to_20_seconds_and_can_be_configured()
    {
        await using var defaults = ApiApplication.Build(["--StoreService:Address=http://127.0.0.1:1"]);
        await using var configured = ApiApplication.Build(["--StoreService:Address=http://127.0.0.1:1", "--HostOptions:ShutdownTimeout=00:00:07"]);

        Assert.Equal(TimeSpan.FromSeconds(20), defaults.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
        Assert.Equal(TimeSpan.FromSeconds(7), configured.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    /// <summary>Runs the api-service process with <paramref name="environment"/>, which must make it exit with code 2 after one log event; returns that event.</summary>
    private static async Task<System.Text.Json.JsonElement> RefusedStartAsync(Dictionary<string, string?> environment)
    {
        await using var api = ApiServiceProcess.Start(environment);

        Assert.Equal(2, await api.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        return Assert.Single(api.Logs);
    }
}
