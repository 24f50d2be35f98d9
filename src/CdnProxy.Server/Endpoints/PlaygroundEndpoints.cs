using CdnProxy.Server.Hosting;
using CdnProxy.Server.Http;

namespace CdnProxy.Server.Endpoints;

/// <summary>
/// The playground: <c>GET /</c> is its page, <c>GET /playground/{name}</c> its script and style. The files are
/// embedded in the server (no disk lookups, no path from the client ever reaches a file system) and off when
/// <c>CdnProxy:Playground:Enabled</c> is false.
/// </summary>
public static class PlaygroundEndpoints
{
    private static readonly string[] Methods = [HttpMethods.Get, HttpMethods.Head];

    // The page loads only its own files and talks only to this server; images may be blob: URLs of fetched previews.
    private static readonly KeyValuePair<string, string>[] PageHeaders =
    [
        new("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"),
        new("Referrer-Policy", "no-referrer"),
    ];

    public static IEndpointRouteBuilder MapPlayground(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/", Methods, (HttpContext context, CdnProxyOptions options, PlaygroundFiles files) =>
            ServeAsync(context, options, files.Find(PlaygroundFiles.Page), PageHeaders));
        endpoints.MapMethods("/playground/{name}", Methods, (HttpContext context, string name, CdnProxyOptions options, PlaygroundFiles files) =>
            ServeAsync(context, options, files.Find(name), null));
        return endpoints;
    }

    private static Task ServeAsync(HttpContext context, CdnProxyOptions options, FixedBody? body, KeyValuePair<string, string>[]? headers)
    {
        if (!options.Playground.Enabled || body is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        return body.WriteAsync(context, headers);
    }
}

/// <summary>The playground's files, read once from the server's embedded resources (<c>Playground/</c> in the project).</summary>
public sealed class PlaygroundFiles
{
    public const string Page = "index.html";

    private const string ResourcePrefix = "playground/";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
    };

    private readonly Dictionary<string, FixedBody> _files = new(StringComparer.Ordinal);

    public PlaygroundFiles()
    {
        var assembly = typeof(PlaygroundFiles).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var name = resource[ResourcePrefix.Length..];
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            // Revalidated on every use (the ETag makes that a 304): a new server version shows at the next reload.
            _files[name] = new FixedBody(copy.ToArray(), ContentTypes[Path.GetExtension(name)], "no-cache");
        }
    }

    /// <summary>The names served, e.g. <c>index.html</c>, <c>playground.js</c>.</summary>
    public IEnumerable<string> Names => _files.Keys;

    /// <summary>The file called <paramref name="name"/>, or null (names are looked up, never turned into paths).</summary>
    public FixedBody? Find(string name) => _files.GetValueOrDefault(name);
}
