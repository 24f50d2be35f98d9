using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace CdnProxy.Server.Http;

/// <summary>
/// The proxies in front of the server (<c>Http:TrustedProxies</c>: addresses and networks such as <c>10.0.0.0/8</c>)
/// whose <c>X-Forwarded-For</c> names the client. The client address decides whose line a render waits in and the
/// upload rate limits; behind a proxy that is not listed every client looks like the proxy. Only the client address is
/// taken, never the scheme or host: nothing a client sends can change the URLs the server builds.
/// </summary>
public static class TrustedProxies
{
    /// <summary>Adds a start-up failure for every entry that is neither an IP address nor a network in CIDR form.</summary>
    public static void Validate(List<string> failures, string at, string? setting)
    {
        ArgumentNullException.ThrowIfNull(failures);
        foreach (var entry in SettingList.Entries(setting).Where(e => !IPAddress.TryParse(e, out _) && !System.Net.IPNetwork.TryParse(e, out _)))
        {
            failures.Add($"{at}: '{entry}' is neither an IP address nor a network such as 10.0.0.0/8.");
        }
    }

    /// <summary>Takes the client address from <c>X-Forwarded-For</c> when the connection comes from a listed proxy.</summary>
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var entries = SettingList.Entries(app.ApplicationServices.GetRequiredService<Hosting.CdnProxyOptions>().Http.TrustedProxies);
        if (entries.Length == 0)
        {
            return app;
        }

        // No forward limit: a chain of listed proxies (a CDN, then an ingress) is walked back to the first address
        // none of them owns; that one is the client, whatever a client wrote further left.
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor, ForwardLimit = null };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var entry in entries)
        {
            if (IPAddress.TryParse(entry, out var address))
            {
                options.KnownProxies.Add(address);
            }
            else
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(entry));
            }
        }

        return app.UseForwardedHeaders(options);
    }
}
