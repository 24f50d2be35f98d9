using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CdnProxy.Server.Tests.Uploads;
using CdnProxy.Tests.Common;

namespace CdnProxy.Server.Tests.Info;

/// <summary><c>?info</c> on image URLs and <c>GET /api/v1/info/…</c> against the real server.</summary>
public sealed class InfoEndpointTests : IDisposable
{
    private readonly UploadTestClient _client = new(new Dictionary<string, string?>
    {
        ["CdnProxy:Clouds:big:Origin:Type"] = "local",
        ["CdnProxy:Clouds:big:Origin:Root"] = Path.Combine(TestImages.RepositoryRoot, "bench", "images"),
        ["CdnProxy:Clouds:portraits:Origin:Type"] = "local",
        ["CdnProxy:Clouds:portraits:Origin:Root"] = Path.Combine(TestImages.AssetsFolder, "faces"),
    });

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task InfoFlag_OnTheFlower_GivesMetaPaletteAndPlaceholder_ThenComesFromTheCache()
    {
        using var first = await _client.GetImageAsync("/v2/demo/original/photo-3mp-flower.jpg?info");
        var json = JsonNode.Parse(await first.Content.ReadAsStringAsync())!;
        using var second = await _client.GetImageAsync("/v2/demo/original/photo-3mp-flower.jpg?info");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("application/json", first.Content.Headers.ContentType?.MediaType);
        var meta = json["context"]!["meta"]!;
        Assert.Equal(("jpeg", 2268, 1512, "srgb", 3, "image/jpeg"), ((string?)meta["format"], (int?)meta["width"], (int?)meta["height"], (string?)meta["space"], (int?)meta["channels"], (string?)meta["contentType"]));
        Assert.Equal(("image", false, false, false), ((string?)meta["assetType"], (bool?)meta["hasAlpha"], (bool?)meta["hasProfile"], (bool?)meta["isProgressive"]));
        Assert.InRange(json["palette"]!.AsArray().Count, 2, 8);
        Assert.Equal((string?)json["palette"]![0]!["hex"], (string?)json["dominantColor"]);
        Assert.Equal(28, ((string?)json["blurhash"])!.Length);
        Assert.NotNull(json["exif"]);
        Assert.Contains("analyse;", Timing(first), StringComparison.Ordinal);
        Assert.StartsWith("public", first.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.Equal("cache", Assert.Single(Timing(second).Split(", ")).Split(';')[0]);
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);

        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/v2/demo/original/photo-3mp-flower.jpg?info");
        conditional.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var notModified = await _client.Http.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Fact]
    public async Task Faces_AreBoxedWhenAskedFor_InTheOriginalsPixels_AndAFaceFreeImageHasNone()
    {
        var label = Faces.FaceLabels.LabelsOf("astronaut.png").Single();
        using var portrait = await _client.GetImageAsync("/v2/portraits/original/astronaut.png?info&faces=true");
        var (api, apiJson) = await _client.ApiAsync(HttpMethod.Get, "/api/v1/info/portraits/astronaut.png?faces=true");
        using var flower = await _client.GetImageAsync("/v2/demo/original/photo-3mp-flower.jpg?info&faces=true");
        using var plain = await _client.GetImageAsync("/v2/portraits/original/astronaut.png?info");

        Assert.Equal(HttpStatusCode.OK, portrait.StatusCode);
        var face = Assert.Single(JsonNode.Parse(await portrait.Content.ReadAsStringAsync())!["faces"]!.AsArray())!;
        var found = new CdnProxy.Core.Transformations.Faces.FaceBox((int)face["x"]!, (int)face["y"]!, (int)face["width"]!, (int)face["height"]!);
        Assert.True(found.Overlap(label) >= Faces.FaceLabels.MatchOverlap, $"found {found}, labelled {label}");
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.Single(apiJson!["faces"]!.AsArray());
        Assert.Empty(JsonNode.Parse(await flower.Content.ReadAsStringAsync())!["faces"]!.AsArray());
        // Faces are only looked for when asked (and cached apart).
        Assert.Null(JsonNode.Parse(await plain.Content.ReadAsStringAsync())!["faces"]);
    }

    [Fact]
    public async Task Info_Of16MpJpeg_NeverDecodesItWhole()
    {
        using var response = await _client.GetImageAsync("/v2/big/original/photo-16mp-seeding.jpg?info");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var analyse = Timing(response).Split(", ").Single(t => t.StartsWith("analyse;", StringComparison.Ordinal));
        var decoded = analyse[(analyse.IndexOf("desc=\"decoded ", StringComparison.Ordinal) + 14)..].TrimEnd('"').Split('x').Select(int.Parse).ToArray();
        Assert.InRange(decoded[0], 1, 5312 / 8 + 1);
        Assert.InRange(decoded[1], 1, 2988 / 8 + 1);
        Assert.Equal(5312, (int?)(await response.Content.ReadFromJsonAsync<JsonObject>())!["context"]!["meta"]!["width"]);
    }

    [Fact]
    public async Task ApiInfo_NeedsAKey_IsPrivate_AndOnlyTheOriginalHasInfo()
    {
        using var anonymous = await _client.Http.GetAsync(new Uri("/api/v1/info/demo/photo-3mp-flower.jpg", UriKind.Relative));
        var (withKey, json) = await _client.ApiAsync(HttpMethod.Get, "/api/v1/info/demo/photo-3mp-flower.jpg?gps=true");
        using var transformed = await _client.GetImageAsync("/v2/demo/t.flip()/photo-3mp-flower.jpg?info");
        using var missing = await _client.GetImageAsync("/v2/demo/original/absent.jpg?info");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withKey.StatusCode);
        Assert.Equal(2268, (int?)json!["context"]!["meta"]!["width"]);
        Assert.True(withKey.Headers.CacheControl!.Private);
        Assert.Equal(HttpStatusCode.BadRequest, transformed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task PrivateFile_InfoOnlyThroughASignedUrlOrTheApi()
    {
        var (stored, _) = await _client.UploadAsync(UploadTestClient.Form(TestImages.Read(TestImages.Flower), fields: [("name", "hidden"), ("access", "private")]));
        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);

        using var unsigned = await _client.GetImageAsync("/v2/uploads/original/hidden.jpeg?info");
        using var signed = await _client.GetImageAsync("/v2/uploads/original/hidden.jpeg?info", signed: true);
        var (api, _) = await _client.ApiAsync(HttpMethod.Get, "/api/v1/info/uploads/hidden.jpeg");

        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        Assert.True(signed.Headers.CacheControl!.Private);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
    }

    [Fact]
    public async Task Purge_TakesTheInfoWithTheRenditions()
    {
        using var before = await _client.GetImageAsync("/v2/demo/original/rose-lossy-alpha.webp?info");
        var (purged, _) = await _client.ApiAsync(HttpMethod.Delete, "/api/v1/purge", JsonContent.Create(new { cloud = "demo", filePath = "rose-lossy-alpha.webp" }));
        using var after = await _client.GetImageAsync("/v2/demo/original/rose-lossy-alpha.webp?info");

        Assert.Equal(HttpStatusCode.OK, purged.StatusCode);
        Assert.Contains("analyse;", Timing(before), StringComparison.Ordinal);
        Assert.Contains("analyse;", Timing(after), StringComparison.Ordinal);
        Assert.True((bool?)JsonNode.Parse(await after.Content.ReadAsStringAsync())!["context"]!["meta"]!["hasAlpha"]);
    }

    private static string Timing(HttpResponseMessage response) => string.Join(", ", response.Headers.GetValues("Server-Timing"));
}
