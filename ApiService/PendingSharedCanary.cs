// TEMPORARY: stands in for the public surface of Shared.Canary (GUIDE.md) until the lead's
// library lands on main. Deleted by the merge of main; nothing here is the real behaviour.
using Serilog;
using Serilog.Configuration;

namespace CanaryDemo.Shared.Canary;

internal static class CanaryHeaders
{
    public const string HttpHeader = "X-Canary";
    public const string EchoHeader = "X-Canary-Echo";
}

internal static class PendingCanaryExtensions
{
    public static IApplicationBuilder UseCanary(this IApplicationBuilder app) => app;

    public static IHttpClientBuilder AddCanaryPropagation(this IHttpClientBuilder builder) => builder;

    public static LoggerConfiguration WithCanary(this LoggerEnrichmentConfiguration enrich) => enrich.FromLogContext();
}
