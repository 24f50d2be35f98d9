namespace CdnProxy.Server.Telemetry;

/// <summary>
/// Which local ports belong to the management listener. Decided by the port the connection arrived on, never by the
/// <c>Host</c> header, which any client can set.
/// </summary>
public sealed class ManagementListener
{
    public const string UrlsKey = "CdnProxy:Management:Urls";

    private readonly HashSet<int> _ports;

    public ManagementListener(IEnumerable<int> ports)
    {
        _ports = [.. ports];
    }

    /// <summary>True when a management listener is configured.</summary>
    public bool Enabled => _ports.Count > 0;

    /// <summary>True when <paramref name="context"/> arrived on a management port.</summary>
    public bool Serves(HttpContext context) => _ports.Contains(context.Connection.LocalPort);

    /// <summary>
    /// The management URLs in <paramref name="urls"/>, or the reasons they cannot be used. Each needs an explicit,
    /// non-zero port that none of <paramref name="publicUrls"/> uses.
    /// </summary>
    public static IReadOnlyList<Binding> Parse(string? urls, IEnumerable<string> publicUrls, List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        var parsed = new List<Binding>();
        var publicPorts = publicUrls.Select(PortOf).ToHashSet();
        foreach (var text in Split(urls))
        {
            if (!Uri.TryCreate(text.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
                || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/")
            {
                failures.Add($"{UrlsKey}: '{text}' is not an http(s) listener URL such as http://0.0.0.0:9464.");
            }
            else if (WrittenPortOf(text) is not { } port || port <= 0)
            {
                failures.Add($"{UrlsKey}: '{text}' needs an explicit port (the listener is told apart by its port).");
            }
            else if (publicPorts.Contains(port))
            {
                failures.Add($"{UrlsKey}: port {port} is also a public port; the public port must never serve /metrics.");
            }
            else
            {
                parsed.Add(new Binding(text, port));
            }
        }

        return parsed;
    }

    /// <summary>A management URL as written (wildcard hosts kept for Kestrel) and its port.</summary>
    public sealed record Binding(string Url, int Port);

    /// <summary>The URLs of a <c>;</c>-separated list, as ASP.NET Core's <c>urls</c> setting writes them.</summary>
    public static IEnumerable<string> Split(string? urls) =>
        (urls ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    // A public URL without a port listens on its scheme's; a management URL must write its own (Kestrel would
    // otherwise bind 80 or 443 for it, a port nobody configured).
    private static int PortOf(string url) =>
        WrittenPortOf(url) ?? (url.StartsWith("https:", StringComparison.OrdinalIgnoreCase) ? 443 : 80);

    // Wildcard hosts (*, +) are not valid URI hosts, so the port is read from the text after the last colon.
    private static int? WrittenPortOf(string url)
    {
        var authority = url.Split("://", 2) is [_, var rest] ? rest.Split('/')[0] : url;
        var colon = authority.LastIndexOf(':');
        return colon >= 0 && !authority.EndsWith(']') && int.TryParse(authority[(colon + 1)..], out var port) ? port : null;
    }
}
