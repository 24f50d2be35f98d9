using System.Text.Json;
using System.Text.Json.Nodes;

namespace CdnProxy.Cli.Warm;

/// <summary>The summary of a warm-up: counts, latency percentiles, bytes, cache outcomes, and every failure.</summary>
public sealed record WarmReport(IReadOnlyList<WarmResult> Results)
{
    public int Total => Results.Count;

    public int Succeeded => Results.Count(r => r.Succeeded);

    public int Failed => Total - Succeeded;

    public long Bytes => Results.Sum(r => r.Bytes);

    public int Hits => Results.Count(r => r.Cache == CacheOutcome.Hit);

    public int Misses => Results.Count(r => r.Cache == CacheOutcome.Miss);

    public int Retried => Results.Count(r => r.Attempts > 1);

    /// <summary>The <paramref name="percent"/> percentile of the request times, in ms (nearest rank).</summary>
    public double Percentile(double percent)
    {
        var times = Results.Where(r => r.Attempts > 0).Select(r => r.Milliseconds).Order().ToList();
        return times.Count == 0 ? 0 : times[Math.Clamp((int)Math.Ceiling(percent / 100 * times.Count) - 1, 0, times.Count - 1)];
    }

    public string ToJson()
    {
        var json = new JsonObject
        {
            ["total"] = Total,
            ["succeeded"] = Succeeded,
            ["failed"] = Failed,
            ["bytes"] = Bytes,
            ["cache"] = new JsonObject { ["hit"] = Hits, ["miss"] = Misses, ["unknown"] = Total - Hits - Misses },
            ["retried"] = Retried,
            ["ms"] = new JsonObject { ["p50"] = Math.Round(Percentile(50), 1), ["p95"] = Math.Round(Percentile(95), 1), ["max"] = Math.Round(Percentile(100), 1) },
            ["results"] = new JsonArray([.. Results.Select(r => (JsonNode)new JsonObject
            {
                ["url"] = r.Url,
                ["status"] = r.Status,
                ["bytes"] = r.Bytes,
                ["ms"] = Math.Round(r.Milliseconds, 1),
                ["attempts"] = r.Attempts,
                ["cache"] = r.Cache,
                ["error"] = r.Error,
            })]),
        };
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
