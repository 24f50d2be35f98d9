using System.Net;
using System.Text.Json;
using CdnProxy.Urls.Security;

namespace CdnProxy.Server.Tests;

/// <summary>Signed URLs (spec §5) checked before anything else runs.</summary>
public sealed class SignedUrlTests : IClassFixture<CdnProxyFactory>
{
    private const string Url = "http://localhost/v2/secure/t.resize(w:61)/photo-3mp-flower.jpg";
    private readonly CdnProxyFactory _factory;
    private readonly HttpClient _client;

    public SignedUrlTests(CdnProxyFactory factory)
    {
        _factory = factory;
        _client = factory.CreateClient();
    }

    [Theory]
    [InlineData(Url)] // an image
    [InlineData("http://localhost/v2/secure/original/photo-3mp-flower.jpg?info")] // a description of the original
    public async Task ASignedAnswer_IsNotCacheablePastTheSignaturesExpiry(string url)
    {
        using var response = await _client.GetAsync(Sign(url, expirySeconds: 120));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cacheControl = response.Headers.CacheControl!;
        Assert.True(cacheControl.Public);
        Assert.InRange(cacheControl.MaxAge!.Value, TimeSpan.FromSeconds(100), TimeSpan.FromSeconds(120));
        Assert.InRange(cacheControl.SharedMaxAge!.Value, TimeSpan.FromSeconds(100), TimeSpan.FromSeconds(120));
        Assert.DoesNotContain(cacheControl.Extensions, e => e.Name.StartsWith("stale-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ValidSignature_IsServed()
    {
        using var response = await _client.GetAsync(Sign(Url));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ValidSignature_WithAQuery_IsServed()
    {
        using var response = await _client.GetAsync(Sign(Url + "?dpr=2&f_auto=true"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task RotatedOldKey_IsStillAccepted()
    {
        using var response = await _client.GetAsync(Sign(Url, accessKey: "ak-old", token: "tok_old"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task SignatureParameters_DoNotCreateNewCacheEntries()
    {
        const string url = "http://localhost/v2/secure/t.resize(w:62)/photo-3mp-flower.jpg";
        using var first = await _client.GetAsync(Sign(url));
        var rendersAfterFirst = _factory.Renderer.Renders;
        using var second = await _client.GetAsync(Sign(url, expirySeconds: 7200));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(rendersAfterFirst, _factory.Renderer.Renders);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("tampered-path")]
    [InlineData("tampered-query")]
    [InlineData("tampered-signature")]
    [InlineData("unknown-key")]
    [InlineData("expired")]
    [InlineData("malformed")]
    public async Task BadSignature_Returns401JsonWithoutTouchingCacheOrOrigin(string kind)
    {
        var url = kind switch
        {
            "missing" => Url,
            "tampered-path" => Sign(Url).Replace("w:61", "w:62", StringComparison.Ordinal),
            "tampered-query" => Sign(Url + "?dpr=2").Replace("dpr=2", "dpr=3", StringComparison.Ordinal),
            "tampered-signature" => FlipLastHexDigitOfPbs(Sign(Url)),
            "unknown-key" => Sign(Url, accessKey: "ak-nobody", token: "whatever"),
            "expired" => Sign(Url, expirySeconds: 10, now: DateTimeOffset.UtcNow.AddHours(-1)),
            _ => Url + "?pbs=zz&pbe=1&pbt=ak-42",
        };
        var rendersBefore = _factory.Renderer.Renders;

        using var response = await _client.GetAsync(url);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var code = body.RootElement.GetProperty("error").GetProperty("code").GetString();
        Assert.Equal(kind switch { "missing" => "signature_required", "expired" => "signature_expired", _ => "signature_invalid" }, code);
        Assert.Equal(rendersBefore, _factory.Renderer.Renders);
    }

    [Theory]
    [InlineData("&dpr=5")]
    [InlineData("&f_auto=true")]
    [InlineData("&v=1")]
    public async Task AParameterAddedToAUrlSignedWithoutAQuery_Returns401WithoutRendering(string added)
    {
        // Its signed string is also the one the Python SDK signs (the path alone), which must not let a query in.
        var rendersBefore = _factory.Renderer.Renders;

        using var response = await _client.GetAsync(Sign("http://localhost/v2/secure/t.resize(w:64)/photo-3mp-flower.jpg") + added);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(rendersBefore, _factory.Renderer.Renders);
    }

    [Theory]
    [InlineData("9999999999", HttpStatusCode.OK)] // 2286-11-20, the last plain expiry with ten digits
    [InlineData("1e+308", HttpStatusCode.OK)] // past the year 9999; sent as 1e%2B308, as URLSearchParams writes it
    // Plain expiries with more digits are what moving digits from the end of a signed URL into pbe makes.
    [InlineData("253402300800", HttpStatusCode.Unauthorized)]
    [InlineData("99999999999999", HttpStatusCode.Unauthorized)]
    public async Task AValidSignatureExpiringFarAhead_IsServedUnlessItsPlainExpiryHasMoreThanTenDigits(string pbe, HttpStatusCode expected)
    {
        // The JS SDK signs any expiry it is given; UrlSigner refuses these, so the signature is computed by hand.
        const string path = "/v2/secure/t.resize(w:66)/photo-3mp-flower.jpg";
        var url = SignedByHand(path, string.Empty, pbe);

        using var response = await _client.GetAsync(url);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task DigitsMovedFromTheSignedQueryIntoPbe_Return401WithoutRendering()
    {
        // "?v=12" + pbe and "?v=1" + "2" + pbe are the same signed string: the expiry would move centuries ahead.
        var signed = Sign("http://localhost/v2/secure/t.resize(w:67)/photo-3mp-flower.jpg?v=12");
        var tampered = signed.Replace("v=12&", "v=1&", StringComparison.Ordinal).Replace("pbe=", "pbe=2", StringComparison.Ordinal);
        var rendersBefore = _factory.Renderer.Renders;

        using var response = await _client.GetAsync(tampered);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(rendersBefore, _factory.Renderer.Renders);
    }

    [Fact]
    public async Task APathOnlySignatureWithAQuery_IsServedOnlyWhenTheQueryMayGoUnsigned()
    {
        const string path = "/v2/secure/t.resize(w:65)/photo-3mp-flower.jpg";
        var pbe = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var url = SignedByHand(path, "dpr=2&", pbe);
        using var lenientFactory = new CdnProxyFactory(new Dictionary<string, string?> { ["CdnProxy:Signing:AllowUnsignedQuery"] = "true" });

        using var strict = await _client.GetAsync(url);
        using var lenient = await lenientFactory.CreateClient().GetAsync(url);

        Assert.Equal(HttpStatusCode.Unauthorized, strict.StatusCode);
        Assert.Equal(HttpStatusCode.OK, lenient.StatusCode);
    }

    [Theory]
    [InlineData("next01/wrkr/image", "url=alpha-500-tulips.png", HttpStatusCode.Unauthorized)] // the query names the original
    [InlineData("next01/wrkr/image", "url=photo-3mp-flower.jpg", HttpStatusCode.Unauthorized)] // the path alone names none
    [InlineData("opts01/wrkr/photo-3mp-flower.jpg", "m=YWxwaGEtNTAwLXR1bGlwcy5wbmc", HttpStatusCode.Unauthorized)] // a merge image
    [InlineData("opts01/wrkr/photo-3mp-flower.jpg", "w=40", HttpStatusCode.OK)] // options only: the rendition may change
    public async Task APathOnlySignature_OfAWorkerUrl_DoesNotLetItsUnsignedQueryChooseTheFiles(string path, string query, HttpStatusCode expected)
    {
        // AllowUnsignedQuery leaves the query unauthenticated; a worker rule reading the source from it (as Next.js'
        // /_next/image?url= does) served every file of a signed cloud with one signature.
        using var lenientFactory = new CdnProxyFactory(new Dictionary<string, string?>
        {
            ["CdnProxy:Signing:AllowUnsignedQuery"] = "true",
            ["CdnProxy:Clouds:secure:Zones:next01:Worker:Rules:0:Match"] = "image\\?url=(?<path>[^&]+)",
            ["CdnProxy:Clouds:secure:Zones:next01:Worker:Rules:0:FilePath"] = "{path}",
            ["CdnProxy:Clouds:secure:Zones:opts01:Worker:Rules:0:Match"] = "(?<path>[^?]+)(?:\\?(?<options>.*))?",
            ["CdnProxy:Clouds:secure:Zones:opts01:Worker:Rules:0:FilePath"] = "{path}",
            ["CdnProxy:Clouds:secure:Zones:opts01:Worker:Rules:0:Options:Separator"] = "&",
            ["CdnProxy:Clouds:secure:Zones:opts01:Worker:Rules:0:Options:KeyValueSeparator"] = "=",
            ["CdnProxy:Clouds:secure:Zones:opts01:Worker:Rules:0:Options:Map:0:Keys:0"] = "w",
            ["CdnProxy:Clouds:secure:Zones:opts01:Worker:Rules:0:Options:Map:0:Pattern"] = "t.resize(w:{v|int})",
            ["CdnProxy:Clouds:secure:Zones:opts01:Worker:Rules:0:Options:Map:1:Keys:0"] = "m",
            ["CdnProxy:Clouds:secure:Zones:opts01:Worker:Rules:0:Options:Map:1:Pattern"] = "t.merge(i:{v})",
        });
        var pbe = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600).ToString(System.Globalization.CultureInfo.InvariantCulture);

        using var response = await lenientFactory.CreateClient().GetAsync(SignedByHand("/v2/secure/" + path, query + "&", pbe));

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task APathOnlySignature_OfAWorkerUrlWhoseUnsignedQueryNamesAPrivateFile_DoesNotServeIt()
    {
        // On a cloud that does not require signing the URL counts as unsigned: public files still serve, private do not.
        using var server = new Uploads.UploadTestClient(new Dictionary<string, string?>
        {
            ["CdnProxy:Signing:AllowUnsignedQuery"] = "true",
            ["CdnProxy:Clouds:uploads:Zones:next01:Worker:Rules:0:Match"] = "image\\?url=(?<path>[^&]+)",
            ["CdnProxy:Clouds:uploads:Zones:next01:Worker:Rules:0:FilePath"] = "{path}",
        });
        var flower = CdnProxy.Tests.Common.TestImages.Read(CdnProxy.Tests.Common.TestImages.Flower);
        foreach (var (name, access) in new[] { ("secret", "private"), ("pub", "public-read") })
        {
            using var form = Uploads.UploadTestClient.Form(flower, "f.jpg", ("name", name), ("access", access));
            using var uploaded = (await server.UploadAsync(form)).Response;
            Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);
        }

        var pbe = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600).ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var secret = await server.Http.GetAsync(SignedByHand("/v2/uploads/next01/wrkr/image", "url=secret.jpeg&", pbe));
        using var pub = await server.Http.GetAsync(SignedByHand("/v2/uploads/next01/wrkr/image", "url=pub.jpeg&", pbe));

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.OK), (secret.StatusCode, pub.StatusCode));
    }

    [Fact]
    public async Task InvalidSignature_OnACloudThatDoesNotRequireSigning_IsStillRefused()
    {
        var signed = Sign("http://localhost/v2/demo/t.resize(w:63)/photo-3mp-flower.jpg");
        using var response = await _client.GetAsync(FlipLastHexDigitOfPbs(signed));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task SignatureIsCheckedBeforeTheGrammar()
    {
        // A pattern the grammar would reject still gets 401 first on a cloud that requires signing.
        using var response = await _client.GetAsync("/v2/secure/t.resize(w:/photo-3mp-flower.jpg");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static string Sign(string url, double expirySeconds = 3600, string accessKey = CdnProxyFactory.SigningAccessKey, string token = CdnProxyFactory.SigningToken, DateTimeOffset? now = null)
    {
        var signed = UrlSigner.Sign(url, expirySeconds, accessKey, token, now ?? DateTimeOffset.UtcNow);
        return new Uri(signed).PathAndQuery;
    }

    /// <summary><paramref name="path"/>, then <paramref name="query"/> and a signature over the path and <paramref name="pbe"/> alone.</summary>
    private static string SignedByHand(string path, string query, string pbe)
    {
        var pbs = UrlSigner.ComputeSignature(path[1..] + pbe, CdnProxyFactory.SigningToken);
        return $"{path}?{query}pbs={pbs}&pbe={Uri.EscapeDataString(pbe)}&pbt={CdnProxyFactory.SigningAccessKey}";
    }

    private static string FlipLastHexDigitOfPbs(string url)
    {
        var start = url.IndexOf("pbs=", StringComparison.Ordinal) + 4 + 63;
        var digit = url[start] == '0' ? '1' : '0';
        return string.Concat(url.AsSpan(0, start), digit.ToString(), url.AsSpan(start + 1));
    }
}
