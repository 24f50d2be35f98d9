using System.Net;
using System.Text;
using CdnProxy.Tests.Common;

namespace CdnProxy.Server.Tests.Uploads;

/// <summary>The Pixelbin uploader face and the assets API against the shipped writable cloud <c>uploads</c> (a local folder).</summary>
public sealed class LocalUploadTests : IDisposable
{
    private static readonly byte[] Flower = TestImages.Read(TestImages.Flower);
    private readonly UploadTestClient _client = new();

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task Jpeg_WithTagsAndMetadata_IsStored_Served_Transformed_Listed_AndDeleted()
    {
        var (response, json) = await _client.UploadAsync(UploadTestClient.Form(
            Flower, "flower.jpg", ("path", "shop/shoes"), ("name", "red"), ("tags", "sale,summer"), ("tags", "new"), ("metadata", "{\"sku\":\"A-1\",\"n\":3}")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var file = json!;
        Assert.Equal(("file", "red", "shop/shoes", "shop/shoes/red.jpeg", "jpeg", "image"), ((string?)file["type"], (string?)file["name"], (string?)file["path"], (string?)file["fileId"], (string?)file["format"], (string?)file["assetType"]));
        Assert.Equal(("public-read", Flower.Length, 2268, 1512, true), ((string?)file["access"], (int?)file["size"], (int?)file["width"], (int?)file["height"], (bool?)file["isOriginal"]));
        Assert.Equal(["sale", "summer", "new"], file["tags"]!.AsArray().Select(t => (string?)t));
        Assert.Equal("A-1", (string?)file["metadata"]!["sku"]);
        Assert.True(Guid.TryParse((string?)file["_id"], out _));
        var meta = file["context"]!["meta"]!;
        Assert.Equal(("jpeg", Flower.Length, 2268, 1512, "srgb", 3, "uchar"), ((string?)meta["format"], (int?)meta["size"], (int?)meta["width"], (int?)meta["height"], (string?)meta["space"], (int?)meta["channels"], (string?)meta["depth"]));
        Assert.Equal((false, false, false, "image/jpeg", "image"), ((bool?)meta["hasAlpha"], (bool?)meta["hasProfile"], (bool?)meta["isProgressive"], (string?)meta["contentType"], (string?)meta["assetType"]));
        Assert.Equal(72, (double?)meta["density"]);
        var url = (string)file["url"]!;
        Assert.EndsWith("/v2/uploads/original/shop/shoes/red.jpeg", url, StringComparison.Ordinal);

        using var original = await _client.GetImageAsync(url);
        using var thumbnail = await _client.GetImageAsync(url.Replace("/original/", "/t.resize(w:100)/", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, original.StatusCode);
        using var probe = ImageProbe.Open(await thumbnail.Content.ReadAsByteArrayAsync());
        Assert.Equal(100, probe.Width);

        var (_, listing) = await _client.ApiAsync(HttpMethod.Get, "/api/v1/assets?cloud=uploads&path=shop/shoes");
        var listed = Assert.Single(listing!["items"]!.AsArray());
        Assert.Equal(("shop/shoes/red.jpeg", "A-1", 2268), ((string?)listed!["fileId"], (string?)listed["metadata"]!["sku"], (int?)listed["width"]));
        var (_, root) = await _client.ApiAsync(HttpMethod.Get, "/api/v1/assets?cloud=uploads");
        Assert.Equal(("folder", "shop"), ((string?)root!["items"]![0]!["type"], (string?)root["items"]![0]!["name"]));

        var (deleted, _) = await _client.ApiAsync(HttpMethod.Delete, "/api/v1/assets/uploads/shop/shoes/red.jpeg");
        using var afterDelete = await _client.GetImageAsync(url.Replace("/original/", "/t.resize(w:100)/", StringComparison.Ordinal));
        var (gone, _) = await _client.ApiAsync(HttpMethod.Get, "/api/v1/assets/uploads/shop/shoes/red.jpeg");

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, afterDelete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Empty(Directory.GetFiles(Path.Combine(_client.UploadsFolder, "shop", "shoes")));
    }

    [Fact]
    public async Task TheRecordBesideTheFile_IsNeverServed()
    {
        await _client.UploadAsync(UploadTestClient.Form(Flower, fields: ("name", "f")));

        Assert.True(File.Exists(Path.Combine(_client.UploadsFolder, "f.jpeg.cdnproxy.json")));
        using var sidecar = await _client.GetImageAsync("/v2/uploads/original/f.jpeg.cdnproxy.json");
        Assert.Equal(HttpStatusCode.NotFound, sidecar.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-the-key-0123456789abcdef0123456789")]
    public async Task WithoutAValidKey_NothingIsStored(string? key)
    {
        var (response, _) = await _client.UploadAsync(UploadTestClient.Form(Flower, fields: ("name", "nokey")), key);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(Directory.Exists(_client.UploadsFolder) && Directory.EnumerateFiles(_client.UploadsFolder, "*", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public async Task NotAnImage_Is415_BeforeAnythingIsStaged()
    {
        var (response, json) = await _client.UploadAsync(UploadTestClient.Form(Encoding.UTF8.GetBytes("#!/bin/sh\necho hi\n" + new string('x', 5000)), "photo.jpg"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("unsupported_format", (string?)json!["error"]!["code"]);
        Assert.Empty(Directory.EnumerateFiles(_client.UploadsFolder, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task BmpIsRefused_ItsNotAnAllowedFormat()
    {
        var bmp = new byte[2048];
        "BM"u8.CopyTo(bmp);
        bmp[14] = 40;

        var (response, _) = await _client.UploadAsync(UploadTestClient.Form(bmp, "x.bmp"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task FormatFieldThatContradictsTheContent_Is400()
    {
        var (response, json) = await _client.UploadAsync(UploadTestClient.Form(Flower, fields: ("format", "png")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("does not match", (string?)json!["error"]!["message"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("path", "../outside")]
    [InlineData("path", "a/./b")]
    [InlineData("path", ".cdnproxy-tmp")]
    [InlineData("name", "x.cdnproxy.json")]
    [InlineData("name", "a/b")]
    [InlineData("access", "public")]
    [InlineData("metadata", "[1,2]")]
    [InlineData("overwrite", "maybe")]
    public async Task BadFields_Are400_AndNothingIsLeft(string field, string value)
    {
        var (response, _) = await _client.UploadAsync(UploadTestClient.Form(Flower, fields: (field, value)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(Directory.EnumerateFiles(_client.UploadsFolder, "*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("path")]
    [InlineData("name")]
    public async Task ANameTooLongForTheFileSystemInBytes_Is400_AndNothingIsLeft(string field)
    {
        // 130 characters, 260 bytes of UTF-8: more than a file system takes for one name.
        var (response, _) = await _client.UploadAsync(UploadTestClient.Form(Flower, fields: (field, new string('ü', 130))));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(Directory.EnumerateFiles(_client.UploadsFolder, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task ExistingPath_Is409_OrAUniqueNameWithFilenameOverride()
    {
        await _client.UploadAsync(UploadTestClient.Form(Flower, fields: ("name", "dup")));

        var (conflict, json) = await _client.UploadAsync(UploadTestClient.Form(Flower, fields: ("name", "dup")));
        var (renamed, renamedJson) = await _client.UploadAsync(UploadTestClient.Form(Flower, fields: [("name", "dup"), ("filenameOverride", "true")]));

        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal("file_exists", (string?)json!["error"]!["code"]);
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Matches("^dup_[a-z0-9]{6}\\.jpeg$", (string?)renamedJson!["fileId"]);
    }

    [Fact]
    public async Task Overwrite_ReplacesTheFile_AndPurgesItsRenditions()
    {
        await _client.UploadAsync(UploadTestClient.Form(GeneratedImages.Png(300, 200, red: 10), "a.png", ("name", "swap")));
        using var before = await _client.GetImageAsync("/v2/uploads/t.resize(w:30)/swap.png");
        var beforeBytes = await before.Content.ReadAsByteArrayAsync();

        var (replaced, _) = await _client.UploadAsync(UploadTestClient.Form(GeneratedImages.Png(300, 200, red: 250), "b.png", ("name", "swap"), ("overwrite", "true")));
        using var after = await _client.GetImageAsync("/v2/uploads/t.resize(w:30)/swap.png");

        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.NotEqual(beforeBytes, await after.Content.ReadAsByteArrayAsync());
        Assert.Equal(2, _client.Factory.Renderer.Renders);
    }

    [Fact]
    public async Task TwoConcurrentUploadsOfOnePath_ExactlyOneWins()
    {
        var statuses = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
            (await _client.UploadAsync(UploadTestClient.Form(Flower, fields: ("name", "race")))).Response.StatusCode));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], statuses.Order());
        Assert.Single(Directory.GetFiles(_client.UploadsFolder, "race*"), f => !f.EndsWith(".json", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PrivateFile_IsServedOnlyToSignedUrls_EvenFromTheCache_UntilMadePublic()
    {
        var (_, json) = await _client.UploadAsync(UploadTestClient.Form(Flower, fields: [("name", "secret"), ("access", "private")]));
        var url = ((string)json!["url"]!).Replace("/original/", "/t.resize(w:64)/", StringComparison.Ordinal);

        using var unsigned = await _client.GetImageAsync(url);
        using var signed = await _client.GetImageAsync(url, signed: true);
        using var unsignedAfterCaching = await _client.GetImageAsync(url);
        var renders = _client.Factory.Renderer.Renders;

        Assert.Equal("private", (string?)json["access"]);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        Assert.True(signed.Headers.CacheControl!.Private);
        Assert.Equal(HttpStatusCode.Unauthorized, unsignedAfterCaching.StatusCode);
        Assert.Equal(1, renders);

        var (patched, patchedJson) = await _client.ApiAsync(HttpMethod.Patch, "/api/v1/assets/uploads/secret.jpeg", Json("{\"access\":\"public-read\",\"tags\":[\"x\"]}"));
        using var nowPublic = await _client.GetImageAsync(url);

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal(("public-read", "x"), ((string?)patchedJson!["access"], (string?)patchedJson["tags"]![0]));
        Assert.Equal(HttpStatusCode.OK, nowPublic.StatusCode);
        Assert.True(nowPublic.Headers.CacheControl!.Public);
    }

    [Fact]
    public async Task PatchOfTagsAndMetadata_KeepsTheRestOfTheRecord()
    {
        await _client.UploadAsync(UploadTestClient.Form(Flower, fields: [("name", "p"), ("tags", "a"), ("metadata", "{\"x\":1}")]));

        var (_, json) = await _client.ApiAsync(HttpMethod.Patch, "/api/v1/assets/uploads/p.jpeg", Json("{\"metadata\":{\"y\":2}}"));
        var (_, found) = await _client.ApiAsync(HttpMethod.Get, "/api/v1/assets/uploads/p.jpeg");

        Assert.Equal((2, "a", 2268), ((int?)json!["metadata"]!["y"], (string?)json["tags"]![0], (int?)json["width"]));
        Assert.Equal(json.ToJsonString(), found!.ToJsonString());
    }

    [Fact]
    public async Task ConcurrentPatchesOfTagsAndAccess_BothStay_APrivateFileIsNeverMadePublicAgain()
    {
        using var client = new UploadTestClient(new() { ["CdnProxy:Uploads:RequestsPerMinute"] = "0" });
        await client.UploadAsync(UploadTestClient.Form(GeneratedImages.Png(20, 10), "a.png", ("name", "raced")));
        var reverted = new List<int>();
        for (var round = 0; round < 40; round++)
        {
            await client.ApiAsync(HttpMethod.Patch, "/api/v1/assets/uploads/raced.png", Json("{\"access\":\"public-read\"}"));
            await Task.WhenAll(
                Task.Run(() => client.ApiAsync(HttpMethod.Patch, "/api/v1/assets/uploads/raced.png", Json($"{{\"tags\":[\"t{round}\"]}}"))),
                Task.Run(() => client.ApiAsync(HttpMethod.Patch, "/api/v1/assets/uploads/raced.png", Json("{\"access\":\"private\"}"))));
            var (_, found) = await client.ApiAsync(HttpMethod.Get, "/api/v1/assets/uploads/raced.png");
            if ((string?)found!["access"] != "private" || !found["tags"]!.AsArray().Select(t => (string?)t).SequenceEqual([$"t{round}"]))
            {
                reverted.Add(round);
            }
        }

        // Each change was applied to the record as read before the other was written: the access went back to public, or the tags were lost.
        Assert.Empty(reverted);
    }

    [Theory]
    [InlineData("x", "y z", "x/y%20z.png")]
    [InlineData("deep/ü", "straße", "deep/%C3%BC/stra%C3%9Fe.png")]
    public async Task NamesWithSpacesAndNonAsciiLetters_RoundTripToAUrlThatServesThem(string path, string name, string fileId)
    {
        var (response, json) = await _client.UploadAsync(UploadTestClient.Form(GeneratedImages.Png(20, 10), "a.png", ("path", path), ("name", name)));
        using var served = await _client.Http.GetAsync(new Uri((string)json!["url"]!).PathAndQuery);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(fileId, (string?)json["fileId"]);
        Assert.EndsWith("/original/" + fileId, (string?)json["url"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.ApiAsync(HttpMethod.Get, "/api/v1/assets/uploads/" + fileId)).Response.StatusCode);
    }

    [Fact]
    public async Task ACloudThatIsNotWritable_Is403()
    {
        var (response, json) = await _client.UploadAsync(UploadTestClient.Form(Flower, fields: ("cloud", "demo")));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("not_writable", (string?)json!["error"]!["code"]);
    }

    [Fact]
    public async Task Listing_Pages()
    {
        foreach (var name in new[] { "c", "a", "b" })
        {
            await _client.UploadAsync(UploadTestClient.Form(GeneratedImages.Png(8, 8), "x.png", ("path", "paged"), ("name", name)));
        }

        var (_, first) = await _client.ApiAsync(HttpMethod.Get, "/api/v1/assets?cloud=uploads&path=paged&page=1&per_page=2");
        var (_, second) = await _client.ApiAsync(HttpMethod.Get, "/api/v1/assets?cloud=uploads&path=paged&page=2&per_page=2");
        var (tooDeep, _) = await _client.ApiAsync(HttpMethod.Get, "/api/v1/assets?cloud=uploads&page=1000&per_page=100");

        Assert.Equal(["paged/a.png", "paged/b.png"], first!["items"]!.AsArray().Select(i => (string?)i!["fileId"]));
        Assert.True((bool?)first["page"]!["hasNext"]);
        Assert.Equal(["paged/c.png"], second!["items"]!.AsArray().Select(i => (string?)i!["fileId"]));
        Assert.False((bool?)second["page"]!["hasNext"]);
        Assert.Equal(HttpStatusCode.BadRequest, tooDeep.StatusCode);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
