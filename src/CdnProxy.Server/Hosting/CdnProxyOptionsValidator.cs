using System.Globalization;
using CdnProxy.Server.Caching;
using CdnProxy.Server.Http;
using CdnProxy.Server.Origins;
using CdnProxy.Urls;
using CdnProxy.Urls.Paths;
using CdnProxy.Urls.Presets;
using CdnProxy.Urls.Workers;
using Microsoft.Extensions.Options;

namespace CdnProxy.Server.Hosting;

/// <summary>Cross-field checks run at start-up, so a bad configuration stops the process with a clear message.</summary>
public sealed class CdnProxyOptionsValidator : IValidateOptions<CdnProxyOptions>
{
    // Less than this cannot hold one ordinary render (a decoded 3 MP photo is 10 MB).
    private const long MinRenderMemoryBytes = 16L * 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, CdnProxyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Clouds.Count == 0)
        {
            failures.Add("CdnProxy:Clouds must define at least one cloud.");
        }

        foreach (var (cloud, settings) in options.Clouds)
        {
            // A name the URL's cloud segment cannot carry would start, and then answer 400 to every URL of it.
            try
            {
                CdnUrlSplitter.ValidateCloud(cloud);
            }
            catch (CdnUrlException e)
            {
                failures.Add($"CdnProxy:Clouds:{cloud}: not a cloud name URLs can carry ({e.Message})");
            }

            OriginOptionsValidator.Validate(failures, $"CdnProxy:Clouds:{cloud}:Origin", settings.Origin);
            ValidateNotFoundImage(failures, $"CdnProxy:Clouds:{cloud}:NotFoundImage", settings.NotFoundImage);
            ValidateWorker(failures, $"CdnProxy:Clouds:{cloud}:Worker", settings.Worker);
            if (settings.Listable && settings.RequireSignedUrls)
            {
                failures.Add($"CdnProxy:Clouds:{cloud}:Listable cannot be set on a cloud that requires signed URLs: its file names would be public.");
            }

            foreach (var (slug, zone) in settings.Zones)
            {
                if (!CdnUrlSplitter.IsZoneSlug(slug))
                {
                    failures.Add($"CdnProxy:Clouds:{cloud}:Zones:{slug}: a zone slug is exactly 6 of A-Z, a-z, 0-9, '-' and '_'.");
                }

                ValidateWorker(failures, $"CdnProxy:Clouds:{cloud}:Zones:{slug}:Worker", zone.Worker);
                if (zone.Origin is { } zoneOrigin)
                {
                    OriginOptionsValidator.Validate(failures, $"CdnProxy:Clouds:{cloud}:Zones:{slug}:Origin", zoneOrigin);
                }
            }
        }

        foreach (var (host, cloud) in options.CustomDomains)
        {
            if (!options.Clouds.ContainsKey(cloud))
            {
                failures.Add($"CdnProxy:CustomDomains:{host} names cloud '{cloud}', which is not configured.");
            }
        }

        ValidateSigning(failures, options.Signing, options.Clouds);
        ValidatePresets(failures, options.Presets);

        if (options.Cache.Memory.MaxBytes < 0)
        {
            failures.Add("CdnProxy:Cache:Memory:MaxBytes must be 0 (off) or positive.");
        }

        if (options.Cache.Memory.EntryOverheadBytes is < 0 or > 1_000_000)
        {
            failures.Add("CdnProxy:Cache:Memory:EntryOverheadBytes must be between 0 and 1000000.");
        }

        CacheOptionsValidation.Validate(failures, options.Cache);
        ValidateRedisCoversStaleWindow(failures, options.Cache);
        options.Api.Validate(failures, options.Clouds.Keys);
        options.Uploads.Validate(failures);
        options.Jobs.Validate(failures);
        if (string.IsNullOrWhiteSpace(options.DataDirectory) || !Path.IsPathFullyQualified(options.DataDirectory))
        {
            failures.Add("CdnProxy:DataDirectory must be an absolute path.");
        }

        EncoderOptionsValidation.Validate(failures, options.Encoding);
        CrossOriginPolicy.Validate(failures, "CdnProxy:Http:CorsOrigins", options.Http.CorsOrigins);
        TrustedProxies.Validate(failures, "CdnProxy:Http:TrustedProxies", options.Http.TrustedProxies);
        if (options.Http.MaxStoredFileStreams < 0)
        {
            failures.Add("CdnProxy:Http:MaxStoredFileStreams must be 0 (no cap) or more.");
        }

        if (options.Vips.Concurrency < 0)
        {
            failures.Add("CdnProxy:Vips:Concurrency must be 0 (adaptive) or more.");
        }

        if (options.Limits.MaxFrames < 1 || options.Limits.MaxAnimationPixels < 1)
        {
            failures.Add("CdnProxy:Limits:MaxFrames and MaxAnimationPixels must be at least 1.");
        }

        if (options.Render.Workers < 0 || options.Render.QueueLimit < 0 || options.Render.QueueTimeoutMilliseconds < 0)
        {
            failures.Add("CdnProxy:Render:Workers, QueueLimit and QueueTimeoutMilliseconds must not be negative.");
        }

        if (options.Vips.TrimIdleMilliseconds < 0 || options.Vips.MmapThresholdBytes < 0)
        {
            failures.Add("CdnProxy:Vips:TrimIdleMilliseconds and MmapThresholdBytes must not be negative.");
        }

        if (options.Limits.RenderTimeout < TimeSpan.Zero)
        {
            failures.Add("CdnProxy:Limits:RenderTimeout must not be negative (00:00:00 never stops a render).");
        }

        if (options.Limits.RenderMemoryBytes is > 0 and < MinRenderMemoryBytes)
        {
            failures.Add($"CdnProxy:Limits:RenderMemoryBytes must be 0 (no budget) or at least {MinRenderMemoryBytes} (16 MiB).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>
    /// A rendition must outlive its fresh and stale-if-error windows in Redis, or the replicas lose the stale copy
    /// they are meant to serve while the origin fails. Jitter shortens some TTLs, so the shortest one counts.
    /// </summary>
    private static void ValidateRedisCoversStaleWindow(List<string> failures, CacheOptions cache)
    {
        var redis = cache.Redis;
        if (!redis.Enabled || cache.FreshSeconds == 0)
        {
            return; // no Redis, or renditions never go stale
        }

        var window = (long)cache.FreshSeconds + cache.StaleIfErrorSeconds;
        var shortestTtl = redis.TtlSeconds * (1 - (redis.TtlJitterPercent / 100.0));
        if (shortestTtl < window)
        {
            failures.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"CdnProxy:Cache:Redis:TtlSeconds less TtlJitterPercent ({shortestTtl:0} s) must be at least Cache:FreshSeconds + Cache:StaleIfErrorSeconds ({window} s), so a stale copy still exists while the origin fails."));
        }
    }

    /// <summary>A key's list of clouds (<paramref name="setting"/>): each configured, none twice.</summary>
    internal static void ValidateCloudList(List<string> failures, string setting, List<string> names, IReadOnlyCollection<string> clouds)
    {
        var listed = new HashSet<string>(StringComparer.Ordinal);
        for (var j = 0; j < names.Count; j++)
        {
            var cloud = names[j];
            if (cloud is null || !clouds.Contains(cloud))
            {
                failures.Add($"{setting}:{j} names cloud '{cloud}', which is not configured.");
            }
            else if (!listed.Add(cloud))
            {
                failures.Add($"{setting}:{j}: cloud '{cloud}' is listed twice.");
            }
        }
    }

    private static void ValidateSigning(List<string> failures, SigningOptions signing, Dictionary<string, CloudOptions> clouds)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < signing.Keys.Count; i++)
        {
            var key = signing.Keys[i];
            if (string.IsNullOrWhiteSpace(key.AccessKey) || string.IsNullOrEmpty(key.Token))
            {
                failures.Add($"CdnProxy:Signing:Keys:{i} needs both AccessKey and Token.");
            }
            else if (!seen.Add(key.AccessKey))
            {
                failures.Add($"CdnProxy:Signing:Keys:{i}: access key '{key.AccessKey}' is listed twice.");
            }

            ValidateCloudList(failures, $"CdnProxy:Signing:Keys:{i}:Clouds", key.Clouds, clouds.Keys);
        }

        if (signing.ClockSkewSeconds < 0 || signing.MaxLifetimeSeconds < 0)
        {
            failures.Add("CdnProxy:Signing:ClockSkewSeconds and MaxLifetimeSeconds must not be negative.");
        }
    }

    /// <summary>The not-found image is read as a URL's file path is: a path that could never be served is refused now.</summary>
    private static void ValidateNotFoundImage(List<string> failures, string path, string image)
    {
        if (image.Length == 0)
        {
            return;
        }

        try
        {
            CdnUrlSplitter.ValidateFilePath(image);
        }
        catch (CdnUrlException e)
        {
            failures.Add($"{path}: not a file path ({e.Message})");
        }
    }

    private static void ValidateWorker(List<string> failures, string path, WorkerOptions worker)
    {
        try
        {
            _ = new WorkerTranslator(worker);
        }
        catch (ArgumentException e)
        {
            failures.Add($"{path}: {e.Message}");
        }
    }

    private static void ValidatePresets(List<string> failures, Dictionary<string, PresetOptions> presets)
    {
        try
        {
            _ = PresetCatalog.FromOptions(presets);
        }
        catch (Exception e) when (e is ArgumentException or CdnUrlException)
        {
            failures.Add("CdnProxy:Presets: " + e.Message);
        }
    }
}
