using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CdnProxy.Server.Hosting;
using CdnProxy.Server.Tests.Origins;
using CdnProxy.Server.Tests.Uploads;
using CdnProxy.Tests.Common;
using Microsoft.Extensions.Logging;

namespace CdnProxy.Server.Tests;

/// <summary>
/// API keys limited to clouds (<c>Api:CloudKeys</c>) through the real pipeline. Two writable tenants: the shipped
/// <c>uploads</c> (also the default and jobs cloud) and <c>shop</c>. <see cref="UploadsKey"/> serves uploads and demo,
/// <see cref="ShopKey"/> serves shop; <see cref="UploadTestClient.ApiKey"/> (<c>Api:Keys</c>) serves every cloud.
/// </summary>
public sealed class ApiKeyScopeTests : IDisposable
{
    private const string UploadsKey = "cloud-key-uploads-0123456789abcdef0123456789";
    private const string ShopKey = "cloud-key-shop-0123456789abcdef0123456789abcd";
    private static readonly byte[] Flower = TestImages.Read(TestImages.Flower);
    private readonly string _shopFolder = Directory.CreateTempSubdirectory("cdnproxy-shop-").FullName;
    private readonly UploadTestClient _client;

    public ApiKeyScopeTests()
    {
        _client = new UploadTestClient(new Dictionary<string, string?>
        {
            ["CdnProxy:Clouds:shop:Origin:Type"] = "local",
            ["CdnProxy:Clouds:shop:Origin:Root"] = _shopFolder,
            ["CdnProxy:Clouds:shop:Origin:Writable"] = "true",
            ["CdnProxy:Api:CloudKeys:0:Key"] = UploadsKey,
            ["CdnProxy:Api:CloudKeys:0:Clouds:0"] = "uploads",
            ["CdnProxy:Api:CloudKeys:0:Clouds:1"] = "demo",
            ["CdnProxy:Api:CloudKeys:1:Key"] = ShopKey,
            ["CdnProxy:Api:CloudKeys:1:Clouds:0"] = "shop",
        });
    }

    public void Dispose()
    {
        _client.Dispose();
        Directory.Delete(_shopFolder, recursive: true);
    }

    [Fact]
    public async Task Upload_WithACloudKey_WorksOnItsCloud_AndIs403OnAnother_StoringNothing()
    {
        using var own = await SendAsync(HttpMethod.Post, "/api/v1/upload", UploadsKey, UploadTestClient.Form(Flower, "a.jpg", ("name", "a")));
        using var other = await SendAsync(HttpMethod.Post, "/api/v1/upload", ShopKey, UploadTestClient.Form(Flower, "b.jpg", ("name", "b")));
        using var otherNamed = await SendAsync(HttpMethod.Post, "/api/v1/upload?cloud=uploads", ShopKey, UploadTestClient.Form(Flower, "c.jpg", ("name", "c")));
        using var shop = await SendAsync(HttpMethod.Post, "/api/v1/upload", ShopKey, UploadTestClient.Form(Flower, "d.jpg", ("cloud", "shop"), ("name", "d")));

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        await AssertForbiddenAsync(other);
        await AssertForbiddenAsync(otherNamed);
        Assert.Equal(HttpStatusCode.OK, shop.StatusCode);
        Assert.Equal(["a.jpeg"], StoredFiles(_client.UploadsFolder));
        Assert.True(File.Exists(Path.Combine(_shopFolder, "d.jpeg")));
    }

    [Fact]
    public async Task SignedUploadUrlAndPixLabStore_AreRefusedForACloudTheKeyDoesNotServe()
    {
        using var signed = await SendAsync(HttpMethod.Post, "/api/v1/upload/signed-url", ShopKey, JsonContent.Create(new { cloud = "uploads", name = "x" }));
        using var signedOwn = await SendAsync(HttpMethod.Post, "/api/v1/upload/signed-url", ShopKey, JsonContent.Create(new { cloud = "shop", name = "x" }));
        using var store = await _client.Http.PostAsync("/store", UploadTestClient.Form(Flower, "cat.jpg", ("key", ShopKey)));
        using var storeOwn = await _client.Http.PostAsync("/store", UploadTestClient.Form(Flower, "cat.jpg", ("key", UploadsKey)));

        await AssertForbiddenAsync(signed);
        Assert.Equal(HttpStatusCode.OK, signedOwn.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, store.StatusCode);
        Assert.Equal(403, (int?)JsonNode.Parse(await store.Content.ReadAsStringAsync())!["status"]);
        Assert.Equal(HttpStatusCode.OK, storeOwn.StatusCode);
        Assert.Single(StoredFiles(Path.Combine(_client.UploadsFolder, "store")));
    }

    [Fact]
    public async Task Assets_ListGetPatchDelete_WithAKeyForAnotherCloud_Are403_AndChangeNothing()
    {
        using var uploaded = await SendAsync(HttpMethod.Post, "/api/v1/upload", UploadsKey, UploadTestClient.Form(Flower, "a.jpg", ("name", "a"), ("tags", "kept")));
        Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);

        using var list = await SendAsync(HttpMethod.Get, "/api/v1/assets?cloud=uploads", ShopKey);
        using var listDefault = await SendAsync(HttpMethod.Get, "/api/v1/assets", ShopKey);
        using var get = await SendAsync(HttpMethod.Get, "/api/v1/assets/uploads/a.jpeg", ShopKey);
        using var patch = await SendAsync(HttpMethod.Patch, "/api/v1/assets/uploads/a.jpeg", ShopKey, JsonContent.Create(new { tags = new[] { "changed" }, access = "private" }));
        using var delete = await SendAsync(HttpMethod.Delete, "/api/v1/assets/uploads/a.jpeg", ShopKey);
        using var ownList = await SendAsync(HttpMethod.Get, "/api/v1/assets?cloud=shop", ShopKey);

        foreach (var refused in new[] { list, listDefault, get, patch, delete })
        {
            await AssertForbiddenAsync(refused);
        }

        Assert.Equal(HttpStatusCode.OK, ownList.StatusCode);
        using var after = await SendAsync(HttpMethod.Get, "/api/v1/assets/uploads/a.jpeg", UploadsKey);
        var record = JsonNode.Parse(await after.Content.ReadAsStringAsync())!;
        Assert.Equal(("public-read", "kept"), ((string?)record["access"], (string?)record["tags"]![0]));
        using var ownDelete = await SendAsync(HttpMethod.Delete, "/api/v1/assets/uploads/a.jpeg", UploadsKey);
        Assert.Equal(HttpStatusCode.OK, ownDelete.StatusCode);
    }

    [Fact]
    public async Task PurgeAndInfo_NeedAKeyServingTheCloud_AndAnUnknownCloudIsNotTold()
    {
        using var purgeOther = await SendAsync(HttpMethod.Delete, "/api/v1/purge", ShopKey, JsonContent.Create(new { cloud = "demo", filePath = "photo-3mp-flower.jpg" }));
        using var purgeUnknown = await SendAsync(HttpMethod.Delete, "/api/v1/purge", ShopKey, JsonContent.Create(new { cloud = "nope", filePath = "a.jpg" }));
        using var purgeOwn = await SendAsync(HttpMethod.Delete, "/api/v1/purge", UploadsKey, JsonContent.Create(new { cloud = "demo", filePath = "photo-3mp-flower.jpg" }));
        using var purgeUnknownPlain = await SendAsync(HttpMethod.Delete, "/api/v1/purge", UploadTestClient.ApiKey, JsonContent.Create(new { cloud = "nope", filePath = "a.jpg" }));
        using var infoOther = await SendAsync(HttpMethod.Get, "/api/v1/info/demo/photo-3mp-flower.jpg", ShopKey);
        using var infoOwn = await SendAsync(HttpMethod.Get, "/api/v1/info/demo/photo-3mp-flower.jpg", UploadsKey);

        await AssertForbiddenAsync(purgeOther);
        await AssertForbiddenAsync(purgeUnknown);
        Assert.Equal(HttpStatusCode.OK, purgeOwn.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, purgeUnknownPlain.StatusCode);
        await AssertForbiddenAsync(infoOther);
        Assert.Equal(HttpStatusCode.OK, infoOwn.StatusCode);
    }

    [Fact]
    public async Task PlainKeys_StillServeEveryCloud()
    {
        using var upload = await SendAsync(HttpMethod.Post, "/api/v1/upload", UploadTestClient.ApiKey, UploadTestClient.Form(Flower, "a.jpg", ("cloud", "shop"), ("name", "a")));
        using var list = await SendAsync(HttpMethod.Get, "/api/v1/assets?cloud=shop", UploadTestClient.ApiKey);
        using var listUploads = await SendAsync(HttpMethod.Get, "/api/v1/assets?cloud=uploads", UploadTestClient.ApiKey);
        using var purge = await SendAsync(HttpMethod.Delete, "/api/v1/purge", UploadTestClient.ApiKey, JsonContent.Create(new { cloud = "demo", filePath = "photo-3mp-flower.jpg" }));
        using var delete = await SendAsync(HttpMethod.Delete, "/api/v1/assets/shop/a.jpeg", UploadTestClient.ApiKey);
        using var stats = await SendAsync(HttpMethod.Get, "/api/v1/stats", UploadTestClient.ApiKey);

        Assert.Equal(
            [HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK],
            new[] { upload, list, listUploads, purge, delete, stats }.Select(r => r.StatusCode));
    }

    [Fact]
    public async Task Stats_AreForKeysOfEveryCloudOnly()
    {
        using var limited = await SendAsync(HttpMethod.Get, "/api/v1/stats", UploadsKey);

        await AssertForbiddenAsync(limited);
    }

    [Fact]
    public async Task Jobs_WithACloudKey_ReadAndWriteOnlyItsClouds_AndTheKeyOwnsItsJobs()
    {
        var otherInput = await SendJsonAsync("/api/v1/jobs", ShopKey, """{"input":{"a":"cloud://demo/photo-3mp-flower.jpg"},"output":[{"pattern":"t.resize(w:20)"}]}""");
        var otherDestination = await SendJsonAsync("/api/v1/jobs", UploadsKey, """{"input":{"a":"cloud://demo/photo-3mp-flower.jpg"},"output":[{"pattern":"t.resize(w:20)","url":"cloud://shop/out"}]}""");
        var otherPrediction = await SendJsonAsync("/api/v1/predictions", ShopKey, """{"name":"smart_crop","input":{"image":"cloud://demo/photo-3mp-flower.jpg","w":120,"h":120}}""");
        var own = await SendJsonAsync("/api/v1/jobs", UploadsKey, """{"input":{"a":"cloud://demo/photo-3mp-flower.jpg"},"output":[{"pattern":"t.resize(w:20)"}]}""");

        await AssertForbiddenAsync(otherInput);
        await AssertForbiddenAsync(otherDestination);
        await AssertForbiddenAsync(otherPrediction);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        var id = (string?)JsonNode.Parse(await own.Content.ReadAsStringAsync())!["id"];
        using var mine = await SendAsync(HttpMethod.Get, "/api/v1/jobs/" + id, UploadsKey);
        using var notMine = await SendAsync(HttpMethod.Get, "/api/v1/jobs/" + id, ShopKey);
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notMine.StatusCode);
        Assert.Empty(Directory.GetFileSystemEntries(_shopFolder));
    }

    [Fact]
    public void KeysForEveryCloud_AmongSeveralClouds_AreWarnedAboutOnce_WithoutTheKey()
    {
        var warning = Assert.Single(_client.Factory.Logs.Lines, line => line.StartsWith("5015 ", StringComparison.Ordinal));
        Assert.DoesNotContain(UploadTestClient.ApiKey, warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 1, 0)] // one cloud: a key for every cloud is the only sensible one
    [InlineData(2, 1, 1)]
    [InlineData(2, 0, 0)] // only cloud keys
    public async Task TheWarning_NeedsSeveralCloudsAndAPlainKey(int clouds, int plainKeys, int warnings)
    {
        var options = new CdnProxyOptions();
        for (var i = 0; i < clouds; i++)
        {
            options.Clouds[$"cloud{i}"] = new CloudOptions();
        }

        options.Api.Keys.AddRange(Enumerable.Repeat(UploadTestClient.ApiKey, plainKeys));
        options.Api.CloudKeys.Add(new Api.ApiCloudKeyOptions { Key = UploadsKey, Clouds = ["cloud0"] });
        var logs = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(logging => logging.AddProvider(logs));

        await new KeyScopeCheck(options, loggers.CreateLogger<KeyScopeCheck>()).StartAsync(CancellationToken.None);

        Assert.Equal(warnings, logs.Lines.Count(line => line.StartsWith("5015 ", StringComparison.Ordinal)));
    }

    /// <summary>The files of a local cloud's folder, without the records kept beside them.</summary>
    private static IEnumerable<string> StoredFiles(string folder) =>
        Directory.GetFiles(folder).Select(f => Path.GetFileName(f)).Where(n => !n.Contains(".cdnproxy", StringComparison.Ordinal));

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string key, HttpContent? body = null) =>
        _client.SendAsync(method, path, key, body);

    private Task<HttpResponseMessage> SendJsonAsync(string path, string key, string json) =>
        SendAsync(HttpMethod.Post, path, key, new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task AssertForbiddenAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("forbidden", (string?)body["error"]?["code"] ?? (string?)body["code"]);
    }
}
