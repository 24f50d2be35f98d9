using CdnProxy.Core.Caching;
using CdnProxy.Core.Pipeline;
using CdnProxy.Core.Rendering;
using CdnProxy.Server.Origins;

namespace CdnProxy.Server.Hosting;

/// <summary>The <c>CdnProxy</c> configuration section (config/cdnproxy.json, overridable by <c>CdnProxy__...</c> variables).</summary>
public sealed class CdnProxyOptions
{
    public const string SectionName = "CdnProxy";

    /// <summary>Tenants by name: each has an origin.</summary>
    public Dictionary<string, CloudOptions> Clouds { get; init; } = new(StringComparer.Ordinal);

    public CacheOptions Cache { get; init; } = new();

    public RenderGateOptions Render { get; init; } = new();

    public ImagePipelineOptions Limits { get; init; } = new();

    public EncoderOptions Encoding { get; init; } = new();

    public VipsOptions Vips { get; init; } = new();

    public HttpOptions Http { get; init; } = new();
}

/// <summary>One tenant.</summary>
public sealed class CloudOptions
{
    public OriginOptions Origin { get; init; } = new();
}

/// <summary>Rendition caches.</summary>
public sealed class CacheOptions
{
    public MemoryRenditionCacheOptions Memory { get; init; } = new();
}

/// <summary>libvips process settings.</summary>
public sealed class VipsOptions
{
    /// <summary>Threads per image; requests already run in parallel, so 1 keeps throughput highest.</summary>
    public int Concurrency { get; init; } = 1;
}

/// <summary>HTTP response policy.</summary>
public sealed class HttpOptions
{
    /// <summary>
    /// Cache-Control of successful image responses. The default lets browsers keep an image a day and shared
    /// caches (a CDN in front) a year; change the URL's <c>v</c> parameter or purge to replace an image sooner.
    /// </summary>
    public string CacheControl { get; init; } = "public, max-age=86400, s-maxage=31536000, stale-while-revalidate=86400";
}
