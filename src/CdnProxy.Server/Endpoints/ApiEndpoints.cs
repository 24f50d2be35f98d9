using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using CdnProxy.Core;
using CdnProxy.Core.Caching;
using CdnProxy.Core.Diagnostics;
using CdnProxy.Core.Origins;
using CdnProxy.Core.Pipeline;
using CdnProxy.Server.Api;
using CdnProxy.Server.Caching;
using CdnProxy.Server.Http;
using CdnProxy.Server.Uploads;

namespace CdnProxy.Server.Endpoints;

/// <summary>
/// The management API: <c>DELETE /api/v1/purge</c> and <c>GET /api/v1/stats</c>. Every call needs a valid key
/// (401 otherwise, before the body is read); a purge needs one that serves its cloud, the stats one for every cloud
/// (403 otherwise). Without any key in <c>CdnProxy:Api:Keys</c> or <c>CdnProxy:Api:CloudKeys</c> the API answers 404,
/// as if it did not exist.
/// </summary>
public static class ApiEndpoints
{
    public static IEndpointRouteBuilder MapCdnProxyApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapDelete("/api/v1/purge", PurgeAsync);
        endpoints.MapGet("/api/v1/stats", StatsAsync);
        return endpoints;
    }

    private static async Task PurgeAsync(
        HttpContext context, ApiKeyVerifier keys, ICloudCatalog clouds, TieredRenditionCache cache, OriginCooldowns cooldowns, ImageResponseWriter writer, TimeProvider time)
    {
        if (!await AuthorizeAsync(context, keys, writer))
        {
            return;
        }

        PurgeRequest? body;
        try
        {
            body = await context.Request.ReadFromJsonAsync(ApiJsonContext.Default.PurgeRequest, context.RequestAborted);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or BadHttpRequestException)
        {
            await WriteErrorAsync(context, writer, CdnErrorKind.InvalidArgument, "The body must be JSON: {\"cloud\", \"zone\"?, \"filePath\"}");
            return;
        }

        var filePath = body?.FilePath?.TrimStart('/');
        if (body is null || string.IsNullOrWhiteSpace(body.Cloud) || string.IsNullOrWhiteSpace(filePath))
        {
            await WriteErrorAsync(context, writer, CdnErrorKind.InvalidArgument, "cloud and filePath are required");
            return;
        }

        if (!AssetPaths.IsServed(body.Cloud, filePath))
        {
            await WriteErrorAsync(context, writer, CdnErrorKind.InvalidArgument, "filePath is not a path this CDN serves (no '.', '..' or empty segments; at most 1024 bytes of UTF-8)");
            return;
        }

        // Before the cloud is looked up: a key limited to clouds is not told which other clouds exist.
        if (!await ServesAsync(context, writer, body.Cloud))
        {
            return;
        }

        var zone = string.IsNullOrEmpty(body.Zone) ? null : body.Zone;
        var cloud = clouds.Find(body.Cloud);
        if (cloud is null || (zone is not null && !cloud.Zones.ContainsKey(zone)))
        {
            await WriteErrorAsync(context, writer, cloud is null ? CdnErrorKind.UnknownCloud : CdnErrorKind.UnknownZone, cloud is null ? "Unknown cloud" : "Unknown zone");
            return;
        }

        var originalId = RenditionKeyBuilder.OriginalId(body.Cloud, zone, filePath);
        // A purge asks the origin again, even for a file whose fetch failed moments ago (the origin the URLs read).
        cooldowns.Forget(zone is null ? cloud.Origin : cloud.Zones[zone].Origin, filePath);
        var counts = await cache.PurgeEverywhereAsync(originalId, context.RequestAborted);
        context.Response.StatusCode = counts.Complete ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.CacheControl = "no-store";
        if (!counts.Complete)
        {
            context.Response.Headers.RetryAfter = RetryPurgeAfterSeconds(cache.Pending, time).ToString(CultureInfo.InvariantCulture);
        }

        await context.Response.WriteAsJsonAsync(
            new PurgeResponse(originalId, counts.Memory, counts.SharedEpochRenewed, counts.Complete),
            ApiJsonContext.Default.PurgeResponse,
            cancellationToken: context.RequestAborted);
    }

    /// <summary>
    /// When a purge Redis did not take is worth asking for again: when this replica next retries it itself (its
    /// back-off, 1 to 30 s), at least a second.
    /// </summary>
    private static int RetryPurgeAfterSeconds(PendingPurges? pending, TimeProvider time)
    {
        var wait = pending is null ? PendingPurges.FirstDelay : pending.NextAttempt - time.GetUtcNow();
        return (int)Math.Clamp(Math.Ceiling(wait.TotalSeconds), 1, PendingPurges.MaxDelay.TotalSeconds);
    }

    private static async Task StatsAsync(
        HttpContext context, ApiKeyVerifier keys, CdnProxyCounters counters, TieredRenditionCache cache, CacheHealth health, ImageResponseWriter writer)
    {
        // The counters are the whole server's, every tenant's traffic.
        if (!await AuthorizeAsync(context, keys, writer) || !await ServesAsync(context, writer, cloud: null))
        {
            return;
        }

        var stats = new StatsResponse(
            counters.Snapshot(),
            cache.Memory.Count,
            cache.Memory.Size,
            health.Status,
            health.Breaker,
            health.RedisConnected);
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsJsonAsync(stats, ApiJsonContext.Default.StatsResponse, cancellationToken: context.RequestAborted);
    }

    internal static async Task<bool> AuthorizeAsync(HttpContext context, ApiKeyVerifier keys, ImageResponseWriter writer, string? bodyKey = null)
    {
        if (!keys.Enabled)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return false;
        }

        if (keys.Authenticate(context.Request, bodyKey) is not null)
        {
            return true;
        }

        // Set as the response starts: writing the error clears the headers first.
        context.Response.OnStarting(() =>
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return Task.CompletedTask;
        });
        await WriteErrorAsync(context, writer, CdnErrorKind.ApiKeyInvalid, "A valid API key is required");
        return false;
    }

    /// <summary>
    /// After <see cref="AuthorizeAsync"/>: whether the request's key serves <paramref name="cloud"/> (null: a call about
    /// every cloud); otherwise answers 403 <c>forbidden</c>.
    /// </summary>
    internal static async Task<bool> ServesAsync(HttpContext context, ImageResponseWriter writer, string? cloud)
    {
        var scope = ApiKeyScope.Of(context);
        if (cloud is null ? scope.ServesEveryCloud : scope.Serves(cloud))
        {
            return true;
        }

        await WriteErrorAsync(context, writer, CdnErrorKind.ApiKeyForbidden, cloud is null ? ApiKeyScope.NotEveryCloud : ApiKeyScope.NotThisCloud);
        return false;
    }

    private static Task WriteErrorAsync(HttpContext context, ImageResponseWriter writer, CdnErrorKind kind, string message) =>
        writer.WriteErrorAsync(context, CdnErrorMapper.Map(kind), message, null);
}

/// <summary>The purge request body.</summary>
/// <param name="Cloud">The cloud.</param>
/// <param name="Zone">The zone slug, or null for the cloud's default zone.</param>
/// <param name="FilePath">The original's path as in image URLs (decoded, without a leading slash).</param>
public sealed record PurgeRequest(string? Cloud, string? Zone, string? FilePath);

/// <summary>What a purge did: renditions removed from this replica's memory, and whether Redis's epoch was renewed.</summary>
/// <param name="OriginalId">The purged original.</param>
/// <param name="Memory">Renditions removed from this replica's memory (other replicas drop theirs when told).</param>
/// <param name="Redis">
/// True when the original's epoch in Redis was renewed (every rendition of it there is a miss from now on, whether
/// or not it was evicted already, so they are not counted); false when Redis was unreachable; null without Redis.
/// </param>
/// <param name="Complete">False when Redis was configured but unreachable: other replicas were not told (503).</param>
public sealed record PurgeResponse(string OriginalId, long Memory, bool? Redis, bool Complete);

/// <summary>This process's counters and cache state.</summary>
public sealed record StatsResponse(
    CounterSnapshot Counters,
    int MemoryEntries,
    long MemoryBytes,
    string Cache,
    string BreakerState,
    bool RedisConnected);

/// <summary>Source-generated serializer for the API (camelCase).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(PurgeRequest))]
[JsonSerializable(typeof(PurgeResponse))]
[JsonSerializable(typeof(StatsResponse))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
