using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CdnProxy.Core;
using CdnProxy.Core.Origins;
using CdnProxy.Server.Tests.Origins;
using CdnProxy.Server.Tests.Uploads;
using CdnProxy.Tests.Common;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

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
    private ThrottlingOrigin? _origin;

    public PixbleMediaCooldownTests()
    {
        _counted = _server.WithCloudRebound("uploads", jobs => jobs with { Origin = _origin = new ThrottlingOrigin(jobs.Origin) });
        _client = _counted.CreateClient();
    }

    /// <summary>The jobs cloud's origin, made when the server's catalogue is.</summary>
    private ThrottlingOrigin Origin
    {
        get
        {
            _ = _counted.Services.GetRequiredService<ICloudCatalog>();
            return _origin!;
        }
    }

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
    public async Task MediaGetDuringAPause_SaysWhenToComeBack_AsTheImageUrlDoes()
    {
        var (mediaPath, renderPath) = await CompletedJobAsync();
        Origin.RetryAfter = TimeSpan.FromMinutes(1);

        using var media = await _client.GetAsync(mediaPath);
        using var render = await _client.GetAsync(renderPath);

        Assert.Equal((HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable), (media.StatusCode, render.StatusCode));
        Assert.NotNull(render.Headers.RetryAfter?.Delta);
        Assert.InRange(media.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, render.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromMinutes(1));
        Assert.True(media.Headers.CacheControl?.NoStore, "an error must not be stored");
        Assert.Equal("origin_throttled", (string?)JsonNode.Parse(await media.Content.ReadAsStringAsync())!["error_code"]);
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
