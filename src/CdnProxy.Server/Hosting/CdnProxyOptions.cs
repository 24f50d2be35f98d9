using CdnProxy.Core.Caching;
using CdnProxy.Core.Pipeline;
using CdnProxy.Core.Rendering;
using CdnProxy.Server.Api;
using CdnProxy.Server.Caching;
using CdnProxy.Server.Origins;
using CdnProxy.Server.Origins.Local;
using CdnProxy.Server.Uploads;
using CdnProxy.Urls.Presets;
using CdnProxy.Urls.Workers;

using CdnProxy.Server.Telemetry;

namespace CdnProxy.Server.Hosting;

/// <summary>The <c>CdnProxy</c> configuration section (config/cdnproxy.json, overridable by <c>CdnProxy__...</c> variables).</summary>
public sealed class CdnProxyOptions
{
    public const string SectionName = "CdnProxy";

    /// <summary>Tenants by name: each has an origin.</summary>
    public Dictionary<string, CloudOptions> Clouds { get; set; } = new(StringComparer.Ordinal);

    public CacheOptions Cache { get; set; } = new();

    public RenderGateOptions Render { get; set; } = new();

    public ImagePipelineOptions Limits { get; set; } = new();

    public EncoderOptions Encoding { get; set; } = new();

    public VipsOptions Vips { get; set; } = new();

    public HttpOptions Http { get; set; } = new();

    /// <summary>Custom domains: host name → cloud. On these hosts URLs have no cloud segment (spec §1.1 E–H).</summary>
    public Dictionary<string, string> CustomDomains { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Named presets usable as <c>p:name(...)</c> in patterns (docs/presets.md).</summary>
    public Dictionary<string, PresetOptions> Presets { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Signed URL keys and policy (docs/signing.md).</summary>
    public SigningOptions Signing { get; set; } = new();

    /// <summary>The management API (purge, stats: docs/caching.md); off while it has no keys.</summary>
    public ApiOptions Api { get; set; } = new();

    /// <summary>
    /// Where CdnProxy keeps data of its own, outside the application folder: the files of the shipped writable cloud
    /// <c>uploads</c> (its local root is <c>{DataDirectory}/uploads</c>). Default: the user's local application data
    /// folder + <c>cdnproxy</c> (<c>~/.local/share/cdnproxy</c> on Linux).
    /// </summary>
    public string DataDirectory { get; set; } = DefaultDataDirectory();

    /// <summary>Uploads and the assets API (docs/uploads.md).</summary>
    public UploadOptions Uploads { get; set; } = new();

    private static string DefaultDataDirectory()
    {
        var local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        return Path.Combine(string.IsNullOrEmpty(local) ? Path.GetTempPath() : local, "cdnproxy");
    }

    /// <summary>The management listener: <c>/metrics</c> and health probes (docs/operations.md).</summary>
    public ManagementOptions Management { get; set; } = new();

    /// <summary>The playground page at <c>/</c> (README, docs/configuration.md).</summary>
    public PlaygroundOptions Playground { get; set; } = new();

    /// <summary>Batch jobs and their webhooks (docs/jobs.md).</summary>
    public Jobs.JobsOptions Jobs { get; set; } = new();

    /// <summary>Face detection for <c>t.resize(p:face)</c>.</summary>
    public CdnProxy.Server.Faces.FaceOptions Faces { get; set; } = new();
}

/// <summary>The playground page served at <c>/</c>.</summary>
public sealed class PlaygroundOptions
{
    /// <summary>Serve the page at <c>/</c> and its files under <c>/playground/</c>; off answers 404 there.</summary>
    public bool Enabled { get; set; } = true;
}

/// <summary>Signed URL settings.</summary>
public sealed class SigningOptions
{
    /// <summary>Active keys; several at once allow rotation. Keep tokens in a secret store or environment variables.</summary>
    public List<SigningKeyOptions> Keys { get; set; } = [];

    /// <summary>Seconds a URL is still accepted after its <c>pbe</c>, for clock differences.</summary>
    public int ClockSkewSeconds { get; set; } = 30;

    /// <summary>Longest accepted remaining lifetime of a signed URL, in seconds; null accepts any <c>pbe</c>.</summary>
    public int? MaxLifetimeSeconds { get; set; }

    /// <summary>
    /// Accept signatures over the path alone (Python, Go SDKs) on URLs with a query, leaving that query unauthenticated;
    /// off, every query parameter (<c>dpr</c>, <c>f_auto</c>, <c>v</c>, …) is covered by the signature.
    /// </summary>
    public bool AllowUnsignedQuery { get; set; }
}

/// <summary>One signing key: <c>pbt</c> names it, <c>Token</c> is the HMAC secret.</summary>
public sealed class SigningKeyOptions
{
    public string AccessKey { get; set; } = string.Empty;

    public string Token { get; set; } = string.Empty;

    /// <summary>
    /// The clouds whose URLs this key signs; a URL of another cloud signed with it answers 401 as a wrong signature
    /// does. Empty (the default): every cloud, as before keys could be limited; with several clouds a warning says so.
    /// </summary>
    public List<string> Clouds { get; set; } = [];
}

/// <summary>One tenant.</summary>
public sealed class CloudOptions
{
    /// <summary>Bound to the options class of its <c>Type</c> by <see cref="OriginOptionsBinder"/>.</summary>
    public OriginOptions Origin { get; set; } = new LocalOriginOptions();

    /// <summary>When true, every URL of the cloud must carry a valid signature (<c>pbs</c>, <c>pbe</c>, <c>pbt</c>).</summary>
    public bool RequireSignedUrls { get; set; }

    /// <summary>Zones by their six-character slug.</summary>
    public Dictionary<string, ZoneOptions> Zones { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Translation rules for the default zone's worker URLs (<c>/{cloud}/wrkr/...</c>); none passes paths through.</summary>
    public WorkerOptions Worker { get; set; } = new();

    /// <summary>
    /// Anyone may list the default zone's image files (<c>GET /api/v1/clouds/{cloud}/files</c>, for the playground).
    /// Local origins only, and never together with <see cref="RequireSignedUrls"/>.
    /// </summary>
    public bool Listable { get; set; }

    /// <summary>
    /// A file of the default zone (e.g. <c>placeholders/missing.png</c>) rendered with the URL's own pattern when its
    /// original is missing, answered 404 with <c>no-store</c>: a page shows it instead of a broken image. Empty: the
    /// JSON 404.
    /// </summary>
    public string NotFoundImage { get; set; } = string.Empty;
}

/// <summary>One zone of a cloud.</summary>
public sealed class ZoneOptions
{
    /// <summary>The zone's own origin; null uses the cloud's.</summary>
    public OriginOptions? Origin { get; set; }

    /// <summary>Translation rules for this zone's worker URLs (docs/worker-urls.md); none passes paths through.</summary>
    public WorkerOptions Worker { get; set; } = new();
}

/// <summary>Rendition caches (docs/caching.md).</summary>
public sealed class CacheOptions
{
    public MemoryRenditionCacheOptions Memory { get; set; } = new();

    /// <summary>The shared tier; off while its <c>Configuration</c> is empty.</summary>
    public RedisCacheOptions Redis { get; set; } = new();

    /// <summary>Fresh lifetime of a rendition, in seconds; after it the original is fetched again. 0: fresh for ever.</summary>
    public int FreshSeconds { get; set; } = 86_400;

    /// <summary>How long past its fresh lifetime a rendition may still be served while the origin fails, in seconds.</summary>
    public int StaleIfErrorSeconds { get; set; } = 604_800;

    /// <summary>How long an origin's "not found" is remembered for an original, in seconds.</summary>
    public int NegativeTtlSeconds { get; set; } = 120;

    /// <summary>How long a failed fetch of one file (5xx, timeout, connection failure) is answered without asking again, in seconds. 0: off.</summary>
    public int FailedFetchTtlSeconds { get; set; } = 5;

    /// <summary>The longest an origin's <c>Retry-After</c> (429/503) pauses it, in seconds. 0: <c>Retry-After</c> is ignored.</summary>
    public int MaxOriginRetryAfterSeconds { get; set; } = 60;

    public RenditionCachePolicy ToPolicy() => new()
    {
        FreshFor = TimeSpan.FromSeconds(FreshSeconds),
        StaleIfError = TimeSpan.FromSeconds(StaleIfErrorSeconds),
        NegativeTtl = TimeSpan.FromSeconds(NegativeTtlSeconds),
        FailedFetchTtl = TimeSpan.FromSeconds(FailedFetchTtlSeconds),
        MaxOriginRetryAfter = TimeSpan.FromSeconds(MaxOriginRetryAfterSeconds),
    };
}

/// <summary>libvips process settings.</summary>
public sealed class VipsOptions
{
    /// <summary>
    /// libvips threads per image. 1 by default: requests already run in parallel, and even a render alone gained
    /// nothing from more (JPEG decoding is serial; the encoder runs on its own write-behind thread): 1249 px JPEG took
    /// 23.1 ms and 28.7 ms of CPU with one thread, 26.1 ms and 33.2 ms with two. 0 adapts: every core for a render
    /// running alone, one each when several run (a heavy blur alone gained 8 %).
    /// </summary>
    public int Concurrency { get; set; } = 1;

    /// <summary>
    /// Once no render has run for this long, in milliseconds, the memory freed by the last ones is handed back to the
    /// system (glibc's heap trimmed, the managed heap compacted), so a storm of large renders does not leave the
    /// process big. 0: never. 10 s by default: the next renders after a trim pay to fault the memory in again (the
    /// first 1249 px JPEG 66–95 ms instead of 25–32, the next two slower too), so short pauses between bursts must not
    /// trigger it; a storm's memory is still back well within a minute.
    /// </summary>
    public int TrimIdleMilliseconds { get; set; } = 10000;

    /// <summary>
    /// C heap allocations of this many bytes and more get their own mapping, returned to the system when freed (glibc
    /// only). 0 keeps glibc's adaptive threshold: measured, a fixed 128 KiB made every large decode buffer fault its
    /// pages in again (16 MP progressive JPEG: 153 → 330 ms of CPU per render); the idle trim returns memory instead.
    /// </summary>
    public int MmapThresholdBytes { get; set; }
}

/// <summary>HTTP response policy.</summary>
public sealed class HttpOptions
{
    /// <summary>
    /// Cache-Control of successful image responses. The default lets browsers keep an image a day and shared
    /// caches (a CDN in front) a year; change the URL's <c>v</c> parameter or purge to replace an image sooner.
    /// </summary>
    public string CacheControl { get; set; } = "public, max-age=86400, s-maxage=31536000, stale-while-revalidate=86400";

    /// <summary>
    /// Cache-Control of a stale rendition served because the origin failed (stale-if-error): short, so browsers and
    /// shared caches come back soon for the refreshed image.
    /// </summary>
    public string StaleCacheControl { get; set; } = "public, max-age=60";

    /// <summary>
    /// Cache-Control of a private file's rendition (served only to signed URLs): never stored by shared caches, so a
    /// CDN in front cannot serve it after the URL expires.
    /// </summary>
    public string PrivateCacheControl { get; set; } = "private, max-age=300";

    /// <summary>
    /// Send <c>Server-Timing</c> (time per stage: cache, fetch, render, encode…) with image responses. On by default:
    /// the playground draws it and browsers' developer tools show it; turn it off to keep stage timings from the public.
    /// </summary>
    public bool ServerTiming { get; set; } = true;

    /// <summary>
    /// Other sites whose pages may read images and use signed upload URLs from scripts (CORS): <c>*</c> (the default:
    /// any), origins separated by spaces or commas (answers then vary by <c>Origin</c>), or empty for none. API-key
    /// endpoints never answer cross-origin requests.
    /// </summary>
    public string CorsOrigins { get; set; } = "*";

    /// <summary>
    /// Proxies in front of the server (addresses or networks such as <c>10.0.0.0/8</c>, separated by spaces or commas)
    /// whose <c>X-Forwarded-For</c> names the client. Each client's renders wait in a line of their own and the upload
    /// rate limits count per client, so behind a CDN or an ingress list it here: unlisted, every client looks like the
    /// proxy (one line for all, as without fair shares). Empty by default: the connection's peer is the client.
    /// </summary>
    public string TrustedProxies { get; set; } = string.Empty;

    /// <summary>
    /// Files sent as stored (not rendered) at once on this replica; more are refused 503 <c>overloaded</c> with
    /// <c>Retry-After: 1</c>. A stream lasts as long as its client reads, so this bounds what slow clients can hold
    /// (origin connections, open files). 0: no cap.
    /// </summary>
    public int MaxStoredFileStreams { get; set; } = 512;
}
