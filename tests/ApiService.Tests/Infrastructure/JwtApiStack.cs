using CanaryDemo.Testing.Auth;

namespace CanaryDemo.ApiService.Tests.Infrastructure;

/// <summary>The api in <c>Jwt</c> mode, trusting the key set of its own <see cref="TestTokens"/> issuer.</summary>
public sealed class JwtApiStack : ApiStack
{
    public TestTokens Tokens { get; } = new();

    protected override string[] ExtraApiArgs => [.. Tokens.ApiSettings().Select(setting => $"--{setting.Key}={setting.Value}")];
}
