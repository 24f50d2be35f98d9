using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CdnProxy.Core;
using CdnProxy.Core.Assets;
using CdnProxy.Core.Origins;
using CdnProxy.Server.Tests.Jobs;
using CdnProxy.Server.Tests.Origins;
using CdnProxy.Server.Tests.Uploads;
using CdnProxy.Tests.Common;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CdnProxy.Server.Tests.Http;

/// <summary>
/// The store of the <c>uploads</c> cloud (uploads, assets, PixLab's <c>/store</c>, the jobs' inputs) asking us to wait:
/// every API face answers 503 <c>origin_throttled</c> in its own envelope with <c>no-store</c> and the origin's pause
/// as <c>Retry-After</c>, as an image URL does; not the render queue's default second, not nothing.
/// </summary>
public sealed class ThrottledStoreAnswerTests : IDisposable
{
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(42);
    private static readonly byte[] Flower = TestImages.Read(TestImages.Flower);
    private readonly CdnProxyFactory _server = new(JobFaceServer.Settings(("CdnProxy:Api:Keys:0", UploadTestClient.ApiKey)));
    private readonly WebApplicationFactory<Program> _throttled;
    private readonly HttpClient _client;

    public ThrottledStoreAnswerTests()
    {
        _throttled = _server.WithCloudRebound("uploads", uploads => uploads with { Writer = new ThrottledWriter(uploads.Writer!) });
        _client = _throttled.CreateClient();
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", UploadTestClient.ApiKey);
    }

    public void Dispose()
    {
        _client.Dispose();
        _throttled.Dispose();
        _server.Dispose();
    }

    [Fact]
    public async Task AssetsAndUploads_AnswerTheOriginsPause()
    {
        using var asset = await _client.GetAsync("/api/v1/assets/uploads/cat.jpeg");
        using var upload = await _client.PostAsync("/api/v1/upload", UploadTestClient.Form(Flower, "cat.jpg"));

        foreach (var response in new[] { asset, upload })
        {
            AssertPaused(response);
            Assert.Equal("origin_throttled", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]);
        }
    }

    [Fact]
    public async Task PixLabStore_AnswersTheOriginsPause_InItsShape()
    {
        using var response = await _client.PostAsync("/store", UploadTestClient.Form(Flower, "cat.jpg", ("key", UploadTestClient.ApiKey)));

        AssertPaused(response);
        Assert.Equal(503, (int?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["status"]);
    }

    [Fact]
    public async Task PixbleNewJob_AnswersTheOriginsPause_InItsEnvelope()
    {
        var body = new JsonObject { ["task"] = 9, ["key"] = UploadTestClient.ApiKey, ["data"] = Convert.ToBase64String(Flower) };
        using var response = await _client.PostAsync("/job/new", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));

        AssertPaused(response);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(("origin_throttled", false), ((string?)json["error_code"], (bool?)json["status"]));
    }

    [Fact]
    public async Task SixPxNewJob_AnswersTheOriginsPause()
    {
        var body = new JsonObject
        {
            ["input"] = new JsonObject { ["a"] = "data:image/jpeg;base64," + Convert.ToBase64String(Flower) },
            ["output"] = new JsonArray(new JsonObject { ["methods"] = new JsonArray(new JsonObject { ["method"] = "resize", ["options"] = new JsonObject { ["width"] = 50 } }) }),
        };
        using var response = await _client.PostAsync("/api/v1/jobs", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));

        AssertPaused(response);
        Assert.Equal("origin_throttled", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]);
    }

    private static void AssertPaused(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(Pause, response.Headers.RetryAfter?.Delta);
        Assert.True(response.Headers.CacheControl?.NoStore, "an error must not be stored");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>A store answering every call as one that asked us to wait <see cref="Pause"/>.</summary>
    private sealed class ThrottledWriter(IOriginWriter inner) : IOriginWriter
    {
        public IChunkedUploads Chunks => inner.Chunks;

        public Task<IStagedFile> StageAsync(Stream content, long maxBytes, CancellationToken cancellationToken) => throw Throttled();

        public Task<bool> CommitAsync(IStagedFile staged, string filePath, AssetRecord record, bool overwrite, CancellationToken cancellationToken) => throw Throttled();

        public Task<StoredFile?> FindAsync(string filePath, CancellationToken cancellationToken) => throw Throttled();

        public Task<StoredFile?> UpdateRecordAsync(string filePath, Func<StoredFile, AssetRecord> change, CancellationToken cancellationToken) => throw Throttled();

        public Task<bool> DeleteAsync(string filePath, CancellationToken cancellationToken) => throw Throttled();

        public Task DeleteFolderIfEmptyAsync(string folder, CancellationToken cancellationToken) => throw Throttled();

        public Task<FolderPage> ListAsync(string folder, int skip, int take, CancellationToken cancellationToken) => throw Throttled();

        public Task<long> StoredBytesAsync(CancellationToken cancellationToken) => throw Throttled();

        private static CdnException Throttled() => new(CdnErrorKind.OriginThrottled, "The origin asked us to retry later") { RetryAfter = Pause };
    }
}
