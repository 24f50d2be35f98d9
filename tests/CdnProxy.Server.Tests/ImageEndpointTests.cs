using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CdnProxy.Tests.Common;

namespace CdnProxy.Server.Tests;

public sealed class ImageEndpointTests : IClassFixture<CdnProxyFactory>
{
    private const string ResizeUrl = "/v2/demo/t.resize(w:300)/photo-3mp-flower.jpg";
    private readonly CdnProxyFactory _factory;
    private readonly HttpClient _client;

    public ImageEndpointTests(CdnProxyFactory factory)
    {
        _factory = factory;
        _client = factory.CreateClient();
    }

    [Fact]
    public async Task Get_ResizeByWidth_Returns300PxJpegWithHeightByAspectRatio()
    {
        using var response = await _client.GetAsync(ResizeUrl);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        using var image = ImageProbe.Open(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(300, image.Width);
        Assert.Equal(200, image.Height); // 2268x1512 → 300x200
        Assert.False(image.HasExifOrIcc);
    }

    [Fact]
    public async Task Get_Success_HasCachingAndSafetyHeaders()
    {
        using var response = await _client.GetAsync("/v2/demo/t.flip()/rose-lossy-alpha.webp");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/webp", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.ETag);
        Assert.False(response.Headers.ETag!.IsWeak);
        Assert.Equal("public, max-age=86400, s-maxage=31536000, stale-while-revalidate=86400", response.Headers.CacheControl?.ToString());
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        var timing = Assert.Single(response.Headers.GetValues("Server-Timing"));
        Assert.Contains("cache;dur=", timing, StringComparison.Ordinal);
        Assert.Equal(response.Content.Headers.ContentLength, (await response.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task Get_Miss_ReportsEveryStageInServerTiming()
    {
        using var response = await _client.GetAsync("/v2/demo/t.resize(w:123)/photo-3mp-flower.jpg");

        var timing = Assert.Single(response.Headers.GetValues("Server-Timing"));
        foreach (var stage in new[] { "fetch", "queue", "render", "encode", "store", "lock", "cache" })
        {
            Assert.Contains(stage + ";dur=", timing, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Get_IfNoneMatchWithTheETag_Returns304WithoutRendering()
    {
        using var first = await _client.GetAsync("/v2/demo/t.resize(w:140)~t.flop()/photo-3mp-flower.jpg");
        var etag = first.Headers.ETag!;
        var rendersBefore = _factory.Renderer.Renders;

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/demo/t.resize(w:140)~t.flop()/photo-3mp-flower.jpg");
        request.Headers.IfNoneMatch.Add(etag);
        using var second = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, second.Headers.ETag);
        Assert.Equal(rendersBefore, _factory.Renderer.Renders);
    }

    [Fact]
    public async Task Get_IfNoneMatchWithAnotherETag_Returns200()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, ResizeUrl);
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"something-else\""));
        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("current", null, HttpStatusCode.OK)]
    [InlineData("*", null, HttpStatusCode.OK)]
    [InlineData("\"other\", current", null, HttpStatusCode.OK)]
    [InlineData("\"other\"", null, HttpStatusCode.PreconditionFailed)]
    [InlineData("W/current", null, HttpStatusCode.PreconditionFailed)] // If-Match compares strongly
    [InlineData("\"other\"", "current", HttpStatusCode.PreconditionFailed)] // If-Match is evaluated first
    [InlineData("current", "current", HttpStatusCode.NotModified)]
    public async Task Get_IfMatch_IsEvaluatedBeforeIfNoneMatch(string ifMatch, string? ifNoneMatch, HttpStatusCode expected)
    {
        const string url = "/v2/demo/t.resize(w:150)~t.flop()/photo-3mp-flower.jpg";
        using var first = await _client.GetAsync(url);
        var etag = first.Headers.ETag!.Tag;

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch.Replace("current", etag, StringComparison.Ordinal));
        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch.Replace("current", etag, StringComparison.Ordinal));
        }

        using var response = await _client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.PreconditionFailed)
        {
            await ReadErrorAsync(response, 412, "precondition_failed");
        }
    }

    [Fact]
    public async Task Head_HasTheHeadersOfGetAndNoBody()
    {
        using var get = await _client.GetAsync(ResizeUrl);
        using var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, ResizeUrl));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentLength, head.Content.Headers.ContentLength);
        Assert.Equal("image/jpeg", head.Content.Headers.ContentType?.MediaType);
        Assert.Equal(get.Headers.ETag, head.Headers.ETag);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_Original_KeepsSizeAndFormat()
    {
        using var response = await _client.GetAsync("/v2/demo/original/alpha-500-tulips.png");

        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        using var image = ImageProbe.Open(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal((500, 500), (image.Width, image.Height));
        Assert.True(image.HasAlpha);
    }

    [Fact]
    public async Task Get_V1Url_IsServedLikeV2()
    {
        using var response = await _client.GetAsync("/v1/demo/t.resize(w:50)/photo-3mp-flower.jpg");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Get_ContentTypeFollowsTheEncodedBytes()
    {
        using var response = await _client.GetAsync("/v2/demo/t.resize(w:64)~t.toFormat(f:png)/photo-3mp-flower.jpg");

        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(0x89, bytes[0]);
    }

    [Theory]
    [InlineData("/v2/demo/t.unknown()/photo-3mp-flower.jpg", 400, "unknown_transformation", 1)]
    [InlineData("/v2/demo/t.resize(w:300)~t.blurry()/photo-3mp-flower.jpg", 400, "unknown_transformation", 17)]
    [InlineData("/v2/demo/t.resize(w:300/photo-3mp-flower.jpg", 400, "pattern_syntax", 15)]
    [InlineData("/v2/demo/t.flip/photo-3mp-flower.jpg", 400, "pattern_syntax", 7)]
    public async Task Get_BadPattern_Returns400JsonWithColumn(string url, int status, string code, int column)
    {
        using var response = await _client.GetAsync(url);

        var error = await ReadErrorAsync(response, status, code);
        Assert.Equal(column, error.GetProperty("column").GetInt32());
    }

    [Theory]
    [InlineData("/v2/demo/t.resize(w:abc)/photo-3mp-flower.jpg", "'w'")]
    [InlineData("/v2/demo/t.resize(w:300,zz:1)/photo-3mp-flower.jpg", "'zz'")]
    [InlineData("/v2/demo/t.resize(f:squash,w:1,h:1)/photo-3mp-flower.jpg", "'f'")]
    [InlineData("/v2/demo/t.rotate(b:red)/photo-3mp-flower.jpg", "'b'")]
    [InlineData("/v2/demo/t.toFormat(f:jxl)/photo-3mp-flower.jpg", "'f'")]
    [InlineData("/v2/demo/t.compress(q:101)/photo-3mp-flower.jpg", "'q'")]
    [InlineData("/v2/demo/t.merge(b:plus)/photo-3mp-flower.jpg", "'b'")]
    [InlineData("/v2/demo/t.merge(i:Li4vc2VjcmV0)/photo-3mp-flower.jpg", "'i'")]
    [InlineData("/v2/demo/t.merge(bboxes:[[0_0_10_10]])/photo-3mp-flower.jpg", "'bboxes'")]
    public async Task Get_BadArgument_Returns400NamingTheArgument(string url, string argument)
    {
        using var response = await _client.GetAsync(url);

        var error = await ReadErrorAsync(response, 400, "invalid_argument");
        Assert.Contains(argument, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("t.extract(t:10,l:10,h:50,w:60)~t.extend(bt:reflect)~t.trim()~t.flatten()", 80, 70)]
    [InlineData("t.resize(w:64)~t.sharpen()~t.median()~t.blur(s:2)~t.negate()~t.normalise()", 64, 43)]
    [InlineData("t.resize(w:64)~t.linear(a:1.2,b:-10)~t.modulate(b:2,s:0.5,h:180)~t.tint(c:ff8800)~t.grey()~t.density(d:144)", 64, 43)]
    [InlineData("t.resize(w:64)~t.merge(i:YWxwaGEtNTAwLXR1bGlwcw,b:multiply,r:true)~t.merge(m:wrap,bg:ff0000,polys:[[[0_0]_[9_0]_[0_9]]])", 64, 43)]
    public async Task Get_EveryBasicOperation_RendersOverHttp(string pattern, int width, int height)
    {
        using var response = await _client.GetAsync($"/v2/demo/{pattern}/photo-3mp-flower.jpg");

        using var image = await response.ReadImageAsync();
        Assert.Equal((width, height), (image.Width, image.Height));
    }

    [Fact]
    public async Task Get_Merge_OverlaysAnImageOfTheSameCloudFoundWithoutItsExtension()
    {
        // i = base64("alpha-500-tulips"): samples/alpha-500-tulips.png, scaled down to 200x200 to fit the base.
        using var plain = await (await _client.GetAsync("/v2/demo/t.resize(w:300)~t.toFormat(f:png)/photo-3mp-flower.jpg")).ReadImageAsync();
        using var response = await _client.GetAsync("/v2/demo/t.resize(w:300)~t.merge(i:YWxwaGEtNTAwLXR1bGlwcw,g:northwest)~t.toFormat(f:png)/photo-3mp-flower.jpg");

        using var merged = await response.ReadImageAsync();
        Assert.Equal((300, 200, 3), (merged.Width, merged.Height, merged.Bands));
        Assert.Equal(plain.Pixel(250, 100), merged.Pixel(250, 100));
        Assert.NotEqual(plain.Pixel(100, 100), merged.Pixel(100, 100));
    }

    [Fact]
    public async Task Get_Merge_ResolvesTheImageInTheRequestsZone()
    {
        // i = base64("good"): only zone z-slug's origin (the broken folder) holds good.jpg.
        using var inZone = await _client.GetAsync("/v2/demo/z-slug/t.resize(w:100)~t.merge(i:Z29vZA,b:screen)/good.jpg");
        using var inDefaultZone = await _client.GetAsync("/v2/demo/t.resize(w:100)~t.merge(i:Z29vZA,b:screen)/photo-3mp-flower.jpg");

        using var image = await inZone.ReadImageAsync();
        Assert.Equal(100, image.Width);
        var error = await ReadErrorAsync(inDefaultZone, 404, "not_found");
        Assert.Equal("The merge image was not found", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Get_Merge_CorruptImage_Returns422()
    {
        // i = base64("truncated"): the broken folder's half JPEG, found by its extension.
        using var response = await _client.GetAsync("/v2/demo/z-slug/t.merge(i:dHJ1bmNhdGVk)/good.jpg");

        await ReadErrorAsync(response, 422, "undecodable_image");
    }

    [Fact]
    public async Task Get_ExtractOutsideTheImage_Returns400()
    {
        using var response = await _client.GetAsync("/v2/demo/t.extract(t:0,l:0,h:5000,w:10)/photo-3mp-flower.jpg");

        await ReadErrorAsync(response, 400, "invalid_argument");
    }

    [Fact]
    public async Task Get_BadDpr_Returns400()
    {
        using var response = await _client.GetAsync(ResizeUrl + "?dpr=9");

        await ReadErrorAsync(response, 400, "invalid_argument");
    }

    [Theory]
    [InlineData("/v2/demo/original/missing.jpg", "not_found")]
    [InlineData("/v2/nosuchcloud/original/photo-3mp-flower.jpg", "unknown_cloud")]
    public async Task Get_MissingOriginalOrCloud_Returns404(string url, string code)
    {
        using var response = await _client.GetAsync(url);

        await ReadErrorAsync(response, 404, code);
    }

    [Theory]
    [InlineData("/v2/demo/original/../config/cdnproxy.json")]
    [InlineData("/v2/demo/original/%2e%2e/%2e%2e/CdnProxy.sln")]
    [InlineData("/v2/demo/original/a//b.jpg")]
    [InlineData("/v3/demo/original/photo-3mp-flower.jpg")]
    public async Task Get_MalformedOrEscapingPath_IsRefused(string url)
    {
        using var response = await _client.GetAsync(url);

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, response.StatusCode.ToString());
        Assert.DoesNotContain("CdnProxy", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_RandomBytes_Returns415()
    {
        using var response = await _client.GetAsync("/v2/broken/t.resize(w:10)/random.jpg");

        await ReadErrorAsync(response, 415, "unsupported_format");
    }

    [Theory]
    [InlineData("/v2/broken/original/truncated.jpg")]
    [InlineData("/v2/broken/t.resize(w:100)/truncated.jpg")]
    [InlineData("/v2/broken/t.flip()/truncated.jpg")]
    public async Task Get_TruncatedJpeg_Returns422AndIsNeverCached(string url)
    {
        using var first = await _client.GetAsync(url);
        var error = await ReadErrorAsync(first, 422, "undecodable_image");
        var rendersAfterFirst = _factory.Renderer.Renders;

        using var second = await _client.GetAsync(url);

        await ReadErrorAsync(second, 422, "undecodable_image");
        Assert.Equal(rendersAfterFirst + 1, _factory.Renderer.Renders);
        Assert.DoesNotContain("Vips", error.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("jpeg", error.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Get_EightConcurrentRenders_GiveTheSameBytesAsSequentialOnes()
    {
        var urls = Enumerable.Range(0, 8)
            .Select(i => $"/v2/broken/t.resize(w:{101 + i})~t.rotate(a:{i * 45})~t.toFormat(f:{(i % 2 == 0 ? "webp" : "png")})/good.jpg")
            .ToArray();
        using var isolated = new CdnProxyFactory(new Dictionary<string, string?> { ["CdnProxy:Cache:Memory:MaxBytes"] = "0" });
        var client = isolated.CreateClient();

        var sequential = new List<byte[]>();
        foreach (var url in urls)
        {
            sequential.Add(await client.GetByteArrayAsync(url));
        }

        var concurrent = await Task.WhenAll(urls.Select(url => client.GetByteArrayAsync(url)));

        Assert.Equal(16, isolated.Renderer.Renders);
        for (var i = 0; i < urls.Length; i++)
        {
            Assert.Equal(sequential[i], concurrent[i]);
        }
    }

    private static async Task<JsonElement> ReadErrorAsync(HttpResponseMessage response, int status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        using var document = JsonDocument.Parse(body);
        var error = document.RootElement.GetProperty("error").Clone();
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        return error;
    }
}
