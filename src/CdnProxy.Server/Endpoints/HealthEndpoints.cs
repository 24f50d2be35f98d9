using System.Text.Json;
using System.Text.Json.Serialization;
using CdnProxy.Server.Caching;
using CdnProxy.Server.Hosting;
using CdnProxy.Vips;

namespace CdnProxy.Server.Endpoints;

/// <summary>
/// <c>/healthz/live</c> (the process answers) and <c>/healthz/ready</c> (libvips renders a tiny image). Ready also
/// reports the cache (<c>ok</c>, <c>degraded</c>, <c>off</c>) without failing on it: without Redis a replica still renders.
/// </summary>
public static partial class HealthEndpoints
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    public static IEndpointRouteBuilder MapCdnProxyHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz/live", () => Answer(new HealthReport("live", null, null)));
        endpoints.MapGet("/healthz/ready", ReadyAsync);
        return endpoints;
    }

    private static async Task<IResult> ReadyAsync(ILoggerFactory loggers, CacheHealth cache, CancellationToken cancellationToken)
    {
        var cacheReport = new CacheReport(cache.Status, cache.Breaker);
        try
        {
            var ok = await Task.Run(VipsRuntime.Probe, cancellationToken).WaitAsync(ProbeTimeout, cancellationToken);
            var version = VipsRuntime.Info?.Version.ToString();
            return ok
                ? Answer(new HealthReport("ready", version, cacheReport))
                : Answer(new HealthReport("not ready", version, cacheReport), StatusCodes.Status503ServiceUnavailable);
        }
#pragma warning disable CA1031 // Any probe failure means "not ready", never a crash.
        catch (Exception e)
#pragma warning restore CA1031
        {
            ServerLog.ProbeFailed(loggers.CreateLogger(typeof(HealthEndpoints)), e);
            return Answer(new HealthReport("not ready", null, cacheReport), StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static IResult Answer(HealthReport report, int status = StatusCodes.Status200OK) =>
        Results.Json(report, HealthJson.Default.HealthReport, statusCode: status);

    private sealed record HealthReport(string Status, string? Libvips, CacheReport? Cache);

    private sealed record CacheReport(string Status, string Breaker);

    [JsonSerializable(typeof(HealthReport))]
    [JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
    private sealed partial class HealthJson : JsonSerializerContext;
}
