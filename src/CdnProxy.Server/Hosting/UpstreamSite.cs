namespace CdnProxy.Server.Hosting;

/// <summary>
/// Optional: CdnProxy in front of a web app. When a <c>ReverseProxy</c> section in YARP's own schema (routes and
/// clusters) is configured, requests that no CdnProxy endpoint answers are proxied to it. CdnProxy's endpoints always
/// win (YARP's routes are ordered after them), and the prefixes CdnProxy owns are never sent upstream, even when no
/// endpoint of ours matches (an unknown <c>/api/...</c> path, <c>/metrics</c> on the public port). The upstream is
/// the operator's: YARP's own client reaches it, with every request header, as a reverse proxy does.
/// </summary>
public static class UpstreamSite
{
    public const string SectionName = "ReverseProxy";

    /// <summary>Far after every CdnProxy endpoint (order 0), so a broad upstream route never shadows or ties with one.</summary>
    private const int UpstreamRouteOrder = 100_000;

    private static readonly string[] OwnPrefixes = ["/v1", "/v2", "/api", "/healthz", "/metrics", "/playground"];

    public static bool IsConfigured(IConfiguration configuration) => configuration.GetSection(SectionName).Exists();

    /// <summary>Registers YARP's proxy when the section exists (otherwise nothing: no unused surface).</summary>
    public static IServiceCollection AddUpstreamSite(this IServiceCollection services, IConfiguration configuration)
    {
        if (IsConfigured(configuration))
        {
            services.AddReverseProxy().LoadFromConfig(configuration.GetSection(SectionName));
        }

        return services;
    }

    /// <summary>Maps the configured routes after CdnProxy's own endpoints.</summary>
    public static WebApplication MapUpstreamSite(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!IsConfigured(app.Configuration))
        {
            return app;
        }

        app.MapReverseProxy(proxy => proxy.Use((context, next) =>
            {
                if (IsOwnPath(context.Request.Path))
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }

                return next();
            }))
            .Add(endpoint =>
            {
                if (endpoint is RouteEndpointBuilder route)
                {
                    route.Order = UpstreamRouteOrder + route.Order;
                }
            });
        return app;
    }

    private static bool IsOwnPath(PathString path) => OwnPrefixes.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase));
}
