using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CdnProxy.Server.Origins.Http;

/// <summary>
/// The named <see cref="HttpClient"/>s of HTTP origins. Origins that may reach private networks get a client of their
/// own, so a pooled connection opened under the permissive policy is never reused by a public-only origin.
/// </summary>
public static class OriginHttpClients
{
    public const string PublicOnly = "CdnProxy.Origin.Public";

    public const string PrivateAllowed = "CdnProxy.Origin.Private";

    /// <summary>The log category of YARP's forwarder, held at Warning (its Information lines carry target URLs).</summary>
    public const string ForwarderLogCategory = "Yarp.ReverseProxy.Forwarder.HttpForwarder";

    /// <summary>
    /// Registers both clients. <see cref="IOriginAddressPolicy"/> (the public policy) and
    /// <see cref="IOriginHostResolver"/> are added only when absent, so tests can register their own first.
    /// </summary>
    public static IServiceCollection AddOriginHttpClients(this IServiceCollection services)
    {
        services.TryAddSingleton<IOriginAddressPolicy>(OriginAddressPolicy.PublicOnly);
        services.TryAddSingleton<IOriginHostResolver, DnsOriginHostResolver>();
        services.AddHttpClient(PublicOnly).ConfigurePrimaryHttpMessageHandler(sp => CreateHandler(
            new OriginConnector(sp.GetRequiredService<IOriginAddressPolicy>(), sp.GetRequiredService<IOriginHostResolver>())));
        services.AddHttpClient(PrivateAllowed).ConfigurePrimaryHttpMessageHandler(sp => CreateHandler(
            new OriginConnector(OriginAddressPolicy.AnyUnicast, sp.GetRequiredService<IOriginHostResolver>())));

        // Files sent as stored go through YARP's forwarder on these same handlers (Streaming/OriginForwarder).
        services.AddHttpForwarder();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<Streaming.OriginForwarder>();

        // YARP logs each forward's full target URL at Information; for S3 that is a presigned URL, a credential.
        services.AddLogging(logging => logging.AddFilter(ForwarderLogCategory, LogLevel.Warning));
        return services;
    }

    private static SocketsHttpHandler CreateHandler(OriginConnector connector) => new()
    {
        ConnectCallback = connector.ConnectAsync,

        // Redirects are followed by HttpOriginStore, which re-checks each one; a proxy would hide the real target.
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,

        // Originals are images: never inflate a compressed body past the byte cap behind our back.
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ResponseDrainTimeout = TimeSpan.Zero,
    };
}
