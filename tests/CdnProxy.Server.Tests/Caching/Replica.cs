using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CdnProxy.Tests.Common;

namespace CdnProxy.Server.Tests.Caching;

/// <summary>
/// One CdnProxy replica (its own host, memory tier, counters and Redis connection) sharing a Redis and an origin
/// folder with the others, as replicas behind a load balancer do. Cloud <c>shared</c> serves <see cref="OriginFolder"/>.
/// </summary>
internal sealed class Replica : IDisposable
{
    public const string ApiKey = "test-api-key-0123456789abcdef0123456789";

    public Replica(string? redisConfiguration, string originFolder, Dictionary<string, string?>? settings = null)
    {
        OriginFolder = originFolder;
        var all = new Dictionary<string, string?>
        {
            ["CdnProxy:Clouds:shared:Origin:Type"] = "local",
            ["CdnProxy:Clouds:shared:Origin:Root"] = originFolder,
            ["CdnProxy:Clouds:shared:Zones:zone-1:Origin:Type"] = "local",
            ["CdnProxy:Clouds:shared:Zones:zone-1:Origin:Root"] = originFolder,
            ["CdnProxy:Cache:Redis:Configuration"] = redisConfiguration ?? string.Empty,
            ["CdnProxy:Cache:Redis:KeyPrefix"] = "t:",
            ["CdnProxy:Cache:Redis:TimeoutMilliseconds"] = "1000",
            ["CdnProxy:Cache:Redis:LockPollMilliseconds"] = "20",
            ["CdnProxy:Cache:Redis:Breaker:MinimumThroughput"] = "4",
            ["CdnProxy:Cache:Redis:Breaker:SamplingMilliseconds"] = "5000",
            ["CdnProxy:Cache:Redis:Breaker:BreakMilliseconds"] = "1000",
            ["CdnProxy:Api:Keys:0"] = ApiKey,
            ["CdnProxy:Render:Workers"] = "2",
        };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        Factory = new CdnProxyFactory(all);
        Client = Factory.CreateClient();
    }

    public CdnProxyFactory Factory { get; }

    public HttpClient Client { get; }

    public string OriginFolder { get; }

    public int Renders => Factory.Renderer.Renders;

    /// <summary>A folder with <c>small.jpg</c> (19 KB) and <c>flower.jpg</c> (3 MP), for the replicas' origin.</summary>
    public static string CreateOriginFolder()
    {
        var folder = Directory.CreateTempSubdirectory("cdnproxy-origin-").FullName;
        File.Copy(TestImages.Sample("cmyk-video001.jpeg"), Path.Combine(folder, "small.jpg"));
        File.Copy(TestImages.Flower, Path.Combine(folder, "flower.jpg"));
        return folder;
    }

    public Task<HttpResponseMessage> GetAsync(string path) => Client.GetAsync(new Uri(path, UriKind.Relative));

    /// <summary>GET /api/v1/stats as JSON.</summary>
    public async Task<JsonElement> StatsAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/stats");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        using var response = await Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();
    }

    public async Task<long> CounterAsync(string name) => (await StatsAsync()).GetProperty("counters").GetProperty(name).GetInt64();

    public Task<HttpResponseMessage> PurgeAsync(object body, string? bearer = ApiKey, string? apiKeyHeader = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/purge") { Content = JsonContent.Create(body) };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (apiKeyHeader is not null)
        {
            request.Headers.Add("x-api-key", apiKeyHeader);
        }

        return Client.SendAsync(request);
    }

    public void Dispose()
    {
        Client.Dispose();
        Factory.Dispose();
    }
}
