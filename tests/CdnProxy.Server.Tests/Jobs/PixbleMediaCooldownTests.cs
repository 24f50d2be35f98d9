using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CdnProxy.Core;
using CdnProxy.Core.Origins;
using CdnProxy.Server.Origins;
using CdnProxy.Server.Tests.Uploads;
using CdnProxy.Tests.Common;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CdnProxy.Server.Tests.Jobs;

/// <summary>
/// Pixble's <c>/media/get</c> reads the jobs cloud's origin as renders do: through the origin cooldowns, so an origin
/// that asked us to wait is not asked again by either until the wait is over. Counts the origin's calls.
/// </summary>
public sealed class PixbleMediaCooldownTests : IDisposable
{
    private static readonly byte[] Photo = TestImages.Read(TestImages.Sample("cmyk-video001.jpeg"));
    private readonly CdnProxyFactory _server = new(JobFaceServer.Settings(("CdnProxy:Api:Keys:0", UploadTestClient.ApiKey)));
    private readonly WebApplicationFactory<Program> _counted;
    private readonly HttpClient _client;

    public PixbleMediaCooldownTests()
    {
        _counted = _server.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<ConfiguredCloudCatalog>();
            services.Replace(ServiceDescriptor.Singleton<ICloudCatalog>(sp => new CountedCloudCatalog(sp.GetRequiredService<ConfiguredCloudCatalog>())));
        }));
        _client = _counted.CreateClient();
    }

    private ThrottlingOrigin Origin => ((CountedCloudCatalog)_counted.Services.GetRequiredService<ICloudCatalog>()).Origin;

    public void Dispose()
    {
        _client.Dispose();
        _counted.Dispose();
        _server.Dispose();
    }

    [Fact]
    public async Task MediaGetMeetingAThrottle_PausesTheOrigin_ForItselfAndRenders()
    {
        var (mediaPath, renderPath) = await CompletedJobAsync();
        Origin.RetryAfter = TimeSpan.FromMinutes(1);
        var before = Origin.Calls;

        using var first = await _client.GetAsync(mediaPath);
        var callsByFirst = Origin.Calls - before;
        using var again = await _client.GetAsync(mediaPath);
        using var render = await _client.GetAsync(renderPath);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Contains("\"origin_throttled\"", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, callsByFirst);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable), (again.StatusCode, render.StatusCode));
        Assert.Equal(1, Origin.Calls - before);
    }

    [Fact]
    public async Task ARenderMeetingAThrottle_PausesTheOrigin_ForMediaGet()
    {
        var (mediaPath, renderPath) = await CompletedJobAsync();
        Origin.RetryAfter = TimeSpan.FromMinutes(1);
        var before = Origin.Calls;

        using var render = await _client.GetAsync(renderPath);
        using var media = await _client.GetAsync(mediaPath);

        Assert.Equal((HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable), (render.StatusCode, media.StatusCode));
        Assert.Equal(1, Origin.Calls - before);
    }

    /// <summary>Runs a Pixble job to status 11; its output's <c>/media/get</c> path and a render URL of the same file.</summary>
    private async Task<(string MediaPath, string RenderPath)> CompletedJobAsync()
    {
        var body = new JsonObject { ["task"] = 9, ["key"] = UploadTestClient.ApiKey, ["data"] = Convert.ToBase64String(Photo) };
        using var created = await _client.PostAsync("/job/new", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var jobId = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["result"]!["job_id"]!;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonObject info;
        do
        {
            await Task.Delay(50);
            using var response = await _client.GetAsync($"/job/info/{jobId}?key={UploadTestClient.ApiKey}");
            info = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["result"]!.AsObject();
        }
        while ((int)info["status"]! == 312 && DateTime.UtcNow < deadline);

        Assert.Equal(11, (int)info["status"]!);
        var output = info["files"]!.AsArray().Single(f => (string?)f!["source"] == "OUTPUT")!;
        var mediaPath = new Uri((string)output["link"]!).AbsolutePath + $"?key={UploadTestClient.ApiKey}";
        var renderPath = new Uri((string)output["url"]!).AbsolutePath.Replace("/original/", "/t.resize(w:20)/", StringComparison.Ordinal);
        return (mediaPath, renderPath);
    }

    /// <summary>The configured clouds, the jobs cloud's origin counted and able to answer as a throttling origin.</summary>
    private sealed class CountedCloudCatalog : ICloudCatalog
    {
        private readonly ICloudCatalog _inner;
        private readonly CloudBinding _jobs;

        public CountedCloudCatalog(ICloudCatalog inner)
        {
            _inner = inner;
            var jobs = inner.Find("uploads")!;
            Origin = new ThrottlingOrigin(jobs.Origin);
            _jobs = jobs with { Origin = Origin };
        }

        public ThrottlingOrigin Origin { get; }

        public CloudBinding? Find(string cloud) => cloud == _jobs.Name ? _jobs : _inner.Find(cloud);

        public string? CloudForHost(string host) => _inner.CloudForHost(host);
    }

    /// <summary>Counts fetches; once <see cref="RetryAfter"/> is set, answers each as an origin's 429 with that <c>Retry-After</c>.</summary>
    private sealed class ThrottlingOrigin(IOriginStore inner) : IOriginStore
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public TimeSpan? RetryAfter { get; set; }

        public Task<OriginObject?> FetchAsync(string filePath, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return RetryAfter is { } wait
                ? throw new CdnException(CdnErrorKind.OriginThrottled, "The origin asked us to retry later") { RetryAfter = wait }
                : inner.FetchAsync(filePath, cancellationToken);
        }
    }
}
