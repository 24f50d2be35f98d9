using System.Net;
using System.Text.RegularExpressions;
using CdnProxy.Tests.Common;

namespace CdnProxy.Server.Tests.Telemetry;

/// <summary>The real server process with a management listener, scraped as Prometheus would.</summary>
public sealed partial class ManagementEndpointTests
{
    [Fact]
    public async Task ManagementPort_ServesPrometheusText_PublicPortNever()
    {
        var (publicPort, managementPort) = (LoopbackPorts.Next(), LoopbackPorts.Next());
        using var server = await ServerProcess.StartAsync(
            Settings(new() { ["CdnProxy:Management:Urls"] = $"http://127.0.0.1:{managementPort}" }),
            $"http://127.0.0.1:{publicPort}");
        using var client = new HttpClient();
        var image = $"http://127.0.0.1:{publicPort}/v2/demo/t.resize(w:64)/photo-3mp-flower.jpg";

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(image)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(image)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"http://127.0.0.1:{publicPort}/v2/demo/original/absent.jpg")).StatusCode);

        using var publicMetrics = await client.GetAsync($"http://127.0.0.1:{publicPort}/metrics");
        using var spoofedHost = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{publicPort}/metrics");
        spoofedHost.Headers.Host = $"127.0.0.1:{managementPort}";
        using var spoofed = await client.SendAsync(spoofedHost);
        using var imageOnManagement = await client.GetAsync(image.Replace($":{publicPort}/", $":{managementPort}/", StringComparison.Ordinal));
        using var ready = await client.GetAsync($"http://127.0.0.1:{managementPort}/healthz/ready");
        using var scrape = await client.GetAsync($"http://127.0.0.1:{managementPort}/metrics");
        var text = await scrape.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, publicMetrics.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, spoofed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, imageOnManagement.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.StartsWith("text/plain", scrape.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);

        // One miss and one hit of the same URL, one refused request: by status and cache outcome.
        Assert.Contains(Lines(text), Count("cdnproxy_request_duration_seconds_count", "cdnproxy_cache=\"miss\"", "http_response_status_code=\"200\""));
        Assert.Contains(Lines(text), Count("cdnproxy_request_duration_seconds_count", "cdnproxy_cache=\"hit\"", "http_response_status_code=\"200\""));
        Assert.Contains(Lines(text), Count("cdnproxy_request_duration_seconds_count", "cdnproxy_cache=\"none\"", "http_response_status_code=\"404\""));
        Assert.Contains(Lines(text), Count("cdnproxy_render_duration_seconds_count", "cdnproxy_format=\"jpeg\"", "cdnproxy_operation=\"t.resize\""));
        Assert.Contains(Lines(text), Count("cdnproxy_origin_fetch_duration_seconds_count", "cdnproxy_origin_kind=\"local\"", "cdnproxy_outcome=\"ok\""));
        Assert.Contains(Lines(text), Count("cdnproxy_origin_fetch_duration_seconds_count", "cdnproxy_origin_kind=\"local\"", "cdnproxy_outcome=\"not_found\""));
        foreach (var gauge in new[]
        {
            "cdnproxy_renders_running", "cdnproxy_renders_queued", "cdnproxy_render_memory_reserved_bytes",
            "cdnproxy_rendition_cache_memory_size_bytes", "cdnproxy_rendition_cache_memory_entries", "cdnproxy_vips_memory_bytes",
            "cdnproxy_redis_breaker_state", "cdnproxy_rendition_cache_hits_total", "cdnproxy_rendition_cache_purges_pending",
        })
        {
            Assert.Contains(Lines(text), line => line.StartsWith(gauge + "{", StringComparison.Ordinal));
        }

        Assert.Contains(Lines(text), line => line.StartsWith("cdnproxy_rendition_cache_memory_entries{", StringComparison.Ordinal) && line.EndsWith(" 1", StringComparison.Ordinal));
        Assert.Contains(Lines(text), line => line.StartsWith("http_server_request_duration_seconds_count{", StringComparison.Ordinal));

        // The shipped Grafana dashboard queries only series this server exports (counters of rare events appear once
        // they happen, so those are checked by name against the meter's counters instead).
        var dashboard = await File.ReadAllTextAsync(Path.Combine(TestImages.RepositoryRoot, "deploy", "grafana", "cdnproxy-dashboard.json"));
        string[] rareEvents = ["cdnproxy_redis_errors_total", "cdnproxy_render_lock_waits_total", "cdnproxy_rendition_stale_served_total"];
        var queried = MetricName().Matches(dashboard).Select(m => m.Value).Distinct().ToList();
        Assert.NotEmpty(queried);
        Assert.All(queried.Except(rareEvents), name => Assert.Contains(Lines(text), line => line.StartsWith(name + "{", StringComparison.Ordinal)));
        Assert.Subset(queried.ToHashSet(), rareEvents.ToHashSet());
    }

    [Fact]
    public async Task NoManagementListener_NoMetricsAnywhere()
    {
        using var server = await ServerProcess.StartAsync(Settings([]));
        using var client = new HttpClient();

        using var metrics = await client.GetAsync(new Uri(server.Address, "/metrics"));

        Assert.Equal(HttpStatusCode.NotFound, metrics.StatusCode);
    }

    [Fact]
    public async Task ManagementOnThePublicPort_StopsStartUp()
    {
        var port = LoopbackPorts.Next();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(
            Settings(new() { ["CdnProxy:Management:Urls"] = $"http://127.0.0.1:{port}" }), $"http://127.0.0.1:{port}"));

        Assert.Contains("CdnProxy:Management:Urls: port " + port + " is also a public port", failure.Message, StringComparison.Ordinal);
    }

    internal static Dictionary<string, string> Settings(Dictionary<string, string> extra)
    {
        var settings = new Dictionary<string, string>
        {
            ["CdnProxy:DataDirectory"] = Directory.CreateTempSubdirectory("cdnproxy-telemetry-").FullName,
            ["CdnProxy:Clouds:demo:Origin:Root"] = TestImages.SamplesFolder,
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }



    private static string[] Lines(string text) => text.Split('\n');

    private static Predicate<string> Count(string series, params string[] labels) =>
        line => line.StartsWith(series + "{", StringComparison.Ordinal)
            && labels.All(label => line.Contains(label, StringComparison.Ordinal))
            && !line.EndsWith(" 0", StringComparison.Ordinal);

    [GeneratedRegex(@"cdnproxy_[a-z_]+(?=\{)")]
    private static partial Regex MetricName();
}
