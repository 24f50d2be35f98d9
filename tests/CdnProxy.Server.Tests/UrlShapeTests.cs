using System.Net;

namespace CdnProxy.Server.Tests;

/// <summary>Every Pixelbin URL shape the server answers (spec §1.1), presets and response-only query options.</summary>
public sealed class UrlShapeTests : IClassFixture<CdnProxyFactory>
{
    private readonly HttpClient _client;

    public UrlShapeTests(CdnProxyFactory factory)
    {
        _client = factory.CreateClient();
    }

    [Fact]
    public async Task Zone_ServesFromTheZonesOwnOrigin()
    {
        // good.jpg exists only in the zone's origin (the broken folder), not in samples/.
        using var zone = await _client.GetAsync("/v2/demo/z-slug/t.resize(w:40)/good.jpg");
        using var defaultZone = await _client.GetAsync("/v2/demo/t.resize(w:40)/good.jpg");

        Assert.Equal(HttpStatusCode.OK, zone.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, defaultZone.StatusCode);
    }

    [Fact]
    public async Task UnknownZone_Returns404()
    {
        using var response = await _client.GetAsync("/v2/demo/abcdef/original/photo-3mp-flower.jpg");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("unknown_zone", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v2/demo/wrkr/t.resize(w:40)/photo-3mp-flower.jpg")]
    [InlineData("/v2/demo/z-slug/wrkr/t.resize(w:40)/good.jpg")]
    public async Task WorkerUrl_WithoutRules_PassesThePathThrough(string url)
    {
        using var response = await _client.GetAsync(url);

        using var image = await response.ReadImageAsync();
        Assert.Equal(40, image.Width);
    }

    [Theory]
    [InlineData("/v2/demo/cldnry/wrkr/image/upload/w_300,h_200,c_fill/v123/photo-3mp-flower.jpg", 300, 200)]
    [InlineData("/v2/demo/cldnry/wrkr/image/upload/c_scale,w_120/photo-3mp-flower.jpg", 120, 80)]
    [InlineData("/v2/demo/imgixz/wrkr/photo-3mp-flower.jpg?w=150&h=150&fit=crop", 150, 150)]
    [InlineData("/v2/demo/strict/wrkr/only/photo-3mp-flower.jpg", 77, 51)]
    public async Task WorkerUrl_WithVendorRules_IsTranslatedAndRendered(string url, int width, int height)
    {
        using var response = await _client.GetAsync(url);

        using var image = await response.ReadImageAsync();
        Assert.Equal((width, height), (image.Width, image.Height));
    }

    [Fact]
    public async Task WorkerUrl_NoRuleMatches_Returns400()
    {
        using var response = await _client.GetAsync("/v2/demo/strict/wrkr/other/photo-3mp-flower.jpg");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("assets.example.test")]
    [InlineData("ASSETS.example.test")]
    [InlineData("assets.example.test.")] // fully qualified: the same host
    public async Task CustomDomain_HasNoCloudSegment(string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/t.resize(w:40)/photo-3mp-flower.jpg");
        request.Headers.Host = host;
        using var response = await _client.SendAsync(request);

        using var image = await response.ReadImageAsync();
        Assert.Equal(40, image.Width);
    }

    [Fact]
    public async Task CustomDomain_WithZone()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/z-slug/original/good.jpg");
        request.Headers.Host = "assets.example.test";
        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("p:thumb", 50, 33)]
    [InlineData("p:thumb()", 50, 33)]
    [InlineData("p:sized(w:120,h:60)", 120, 60)]
    [InlineData("p.apply(n:sized,w:90)", 90, 200)]
    [InlineData("t.rotate(a:90)~p:thumb", 50, 75)]
    public async Task Presets_ExpandInPlace(string pattern, int width, int height)
    {
        using var response = await _client.GetAsync($"/v2/demo/{pattern}/photo-3mp-flower.jpg");

        using var image = await response.ReadImageAsync();
        Assert.Equal((width, height), (image.Width, image.Height));
    }

    [Fact]
    public async Task Preset_SizedDefaultsToWebp()
    {
        using var response = await _client.GetAsync("/v2/demo/p:sized/photo-3mp-flower.jpg");

        Assert.Equal("image/webp", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("p:missing", "Invalid preset: missing")]
    [InlineData("p:sized(w:abc)", "must be a type of integer")]
    [InlineData("p:sized(fmt:png)", "must be a type of enum")]
    [InlineData("p.apply(w:1)", "Missing param 'n'")]
    public async Task Presets_BadUse_Returns400(string pattern, string message)
    {
        using var response = await _client.GetAsync($"/v2/demo/{pattern}/photo-3mp-flower.jpg");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Presets_ExpandingPastTheCallLimit_AnswerAsTheGrammarsOwnLimit()
    {
        // Eight references of a two-call preset: eight elements for the grammar, sixteen calls once expanded.
        var pattern = string.Join("~", Enumerable.Repeat("p:sized", 8));

        using var response = await _client.GetAsync($"/v2/demo/{pattern}/photo-3mp-flower.jpg");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"code\":\"pattern_syntax\"", body, StringComparison.Ordinal);
        Assert.Contains("more than 15 transformations after preset expansion", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("download", "attachment; filename=photo-3mp-flower.webp")]
    [InlineData("preview", "inline; filename=photo-3mp-flower.webp")]
    [InlineData("download&preview", "attachment; filename=photo-3mp-flower.webp")]
    public async Task DownloadAndPreview_SetContentDispositionWithTheServedExtension(string query, string expected)
    {
        using var response = await _client.GetAsync($"/v2/demo/t.resize(w:30)~t.toFormat(f:webp)/photo-3mp-flower.jpg?{query}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith(expected, response.Content.Headers.ContentDisposition?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CacheBuster_MakesANewRenditionButOtherParametersDoNot()
    {
        const string url = "/v2/demo/t.resize(w:41)/photo-3mp-flower.jpg";
        using var first = await _client.GetAsync(url + "?v=1");
        using var sameAgain = await _client.GetAsync(url + "?v=1&utm_source=mail&x=2");
        using var busted = await _client.GetAsync(url + "?v=2");

        Assert.Contains("fetch;", first.Headers.GetValues("Server-Timing").Single(), StringComparison.Ordinal);
        Assert.DoesNotContain("fetch;", sameAgain.Headers.GetValues("Server-Timing").Single(), StringComparison.Ordinal);
        Assert.Contains("fetch;", busted.Headers.GetValues("Server-Timing").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FormatAuto_NegotiatesAvifWebpOrSourceWithVaryAccept()
    {
        const string url = "/v2/demo/t.resize(w:42)/photo-3mp-flower.jpg?f_auto=true";
        var etags = new HashSet<string>();
        var renders = 0;
        foreach (var (accept, expected) in new[]
        {
            ("image/avif,image/webp,image/apng,*/*;q=0.8", "image/avif"),
            ("image/webp,*/*", "image/webp"),
            ("*/*", "image/jpeg"),
            ("text/html, junk;;, image/avif;q=0", "image/jpeg"),
            ("image/avif, image/webp", "image/avif"),
            ("application/x-junk, image/*", "image/jpeg"),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("Accept", accept);
            using var response = await _client.SendAsync(request);

            Assert.Equal(expected, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("Accept", Assert.Single(response.Headers.Vary));
            etags.Add(response.Headers.ETag!.Tag);
            renders += response.Headers.GetValues("Server-Timing").Single().Contains("render;", StringComparison.Ordinal) ? 1 : 0;
        }

        // Three buckets, three renditions: other Accept values (junk included) land in a bucket already cached.
        Assert.Equal(3, etags.Count);
        Assert.Equal(3, renders);
    }

    [Fact]
    public async Task FormatAuto_AnyLetterCaseOfTrue_IsOneRenditionThatVariesByAccept()
    {
        var etags = new HashSet<string>();
        var renders = 0;
        foreach (var value in new[] { "true", "TRUE", "True" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/demo/t.resize(w:46)/photo-3mp-flower.jpg?f_auto=" + value);
            request.Headers.TryAddWithoutValidation("Accept", "image/webp,*/*");
            using var response = await _client.SendAsync(request);

            Assert.Equal("image/webp", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("Accept", Assert.Single(response.Headers.Vary));
            etags.Add(response.Headers.ETag!.Tag);
            renders += response.Headers.GetValues("Server-Timing").Single().Contains("render;", StringComparison.Ordinal) ? 1 : 0;
        }

        Assert.Single(etags);
        Assert.Equal(1, renders);
    }

    [Fact]
    public async Task FormatAuto_ExplicitToFormatWinsAndDoesNotVary()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/demo/t.resize(w:43)~t.toFormat(f:png)/photo-3mp-flower.jpg?f_auto=true");
        request.Headers.TryAddWithoutValidation("Accept", "image/avif,image/webp,*/*");
        using var response = await _client.SendAsync(request);

        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(response.Headers.Vary);
    }

    [Fact]
    public async Task WithoutFormatAuto_NoVary()
    {
        using var response = await _client.GetAsync("/v2/demo/t.resize(w:44)/photo-3mp-flower.jpg");

        Assert.Empty(response.Headers.Vary);
    }

    [Theory]
    [InlineData("?dpr=auto", "Sec-CH-DPR, DPR")]
    [InlineData("?dpr=auto&f_auto=true", "Accept, Sec-CH-DPR, DPR")]
    [InlineData("?dpr=AUTO&f_auto=TRUE", "Accept, Sec-CH-DPR, DPR")]
    public async Task DprAuto_VariesByTheClientHintsAndAsksForThem(string query, string vary)
    {
        using var response = await _client.GetAsync("/v2/demo/t.resize(w:45)/photo-3mp-flower.jpg" + query);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(vary, string.Join(", ", response.Headers.Vary));
        Assert.Equal("Sec-CH-DPR, DPR", string.Join(", ", response.Headers.GetValues("Accept-CH")));
    }
}
