using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CanaryDemo.ServiceDefaults;

/// <summary>
/// Makes Kestrel listen on the application's addresses and, on the same hosts, on the management
/// port. Kestrel ignores the configured URLs as soon as one endpoint is declared in code, so the
/// management address is added to the URLs instead.
/// </summary>
public static class ManagementListener
{
    /// <summary>Kestrel's own default when neither URLs nor ports are configured.</summary>
    private const string KestrelDefaultUrl = "http://localhost:5000";

    /// <summary>
    /// The application's endpoints speak <paramref name="applicationProtocols"/>, the management
    /// port HTTP/1.1 (Prometheus scrapes over HTTP/1.1, whatever the application speaks). The
    /// management options are read and validated here, while building: the listen addresses depend
    /// on the port, and they are fixed before the host (and its ValidateOnStart) exists.
    /// </summary>
    public static WebApplicationBuilder ConfigureListeners(
        this WebApplicationBuilder builder, HttpProtocols applicationProtocols)
    {
        var options = new ManagementOptions();
        builder.Configuration.GetSection(ManagementOptions.SectionName).Bind(options);
        var applicationUrls = ApplicationUrls(builder.Configuration);
        var result = new ManagementOptionsValidator([.. applicationUrls.Select(url => BindingAddress.Parse(url).Port)])
            .Validate(null, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(ManagementOptions.SectionName, typeof(ManagementOptions), result.Failures);
        }

        var managementUrls = applicationUrls
            .Select(url => BindingAddress.Parse(url).Host)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(host => $"http://{host}:{options.Port}");
        builder.WebHost.UseUrls([.. applicationUrls, .. managementUrls]);
        // Folded into the URLs above; left set, they would only make the host warn that URLs win.
        builder.WebHost.UseSetting(WebHostDefaults.HttpPortsKey, "");
        builder.WebHost.UseSetting(WebHostDefaults.HttpsPortsKey, "");

        // Kestrel has a single endpoint-defaults callback, so it sets both.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(endpoint =>
            endpoint.Protocols = endpoint.IPEndPoint?.Port == options.Port ? HttpProtocols.Http1 : applicationProtocols));
        builder.Services.AddSingleton(Options.Create(options));
        return builder;
    }

    /// <summary>The addresses the host would bind, by its own precedence: URLs, else HTTP(S) ports, else Kestrel's default.</summary>
    private static string[] ApplicationUrls(IConfiguration configuration)
    {
        var urls = Split(configuration[WebHostDefaults.ServerUrlsKey]);
        if (urls.Length > 0)
        {
            return urls;
        }

        string[] ports =
        [
            .. Split(configuration[WebHostDefaults.HttpPortsKey]).Select(port => $"http://*:{port}"),
            .. Split(configuration[WebHostDefaults.HttpsPortsKey]).Select(port => $"https://*:{port}"),
        ];
        return ports.Length > 0 ? ports : [KestrelDefaultUrl];
    }

    private static string[] Split(string? value) =>
        (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
