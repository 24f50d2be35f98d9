namespace CdnProxy.Server.Origins.Http;

/// <summary>Originals behind an HTTP(S) base URL (<c>Type: http</c>); read-only.</summary>
public sealed class HttpOriginOptions : OriginOptions
{
    public HttpOriginOptions()
    {
        Type = "http";
    }

    /// <summary>The base URL; file paths are appended to its path, percent-encoded.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>
    /// Hosts the origin (and every redirect) may name; <c>*.example.com</c> matches sub-domains. Empty allows any
    /// host, still subject to the network policy.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>
    /// Allow connecting to loopback, private, CGNAT and unique-local addresses. Off by default, so a hostile DNS
    /// answer or redirect cannot reach internal services (SSRF). Link-local and cloud metadata addresses stay
    /// refused, and with it on, redirects stay on the base URL's scheme, host and port unless
    /// <see cref="AllowedHosts"/> names the target host.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Budget to open one TCP connection, in seconds.</summary>
    public double ConnectTimeoutSeconds { get; set; } = 2;

    /// <summary>Budget from sending a request to receiving its response headers, in seconds.</summary>
    public double FirstByteTimeoutSeconds { get; set; } = 3;
}
