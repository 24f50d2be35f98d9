using System.Net;
using CdnProxy.Server.Http;

namespace CdnProxy.Server.Tests.Http;

/// <summary>CORS headers as each policy sets them, on images, errors, 304s, preflights, signed uploads and the API.</summary>
public sealed class CrossOriginAccessTests(CdnProxyFactory defaults) : IClassFixture<CdnProxyFactory>
{
    private const string Image = "/v2/demo/t.resize(w:40)/photo-3mp-flower.jpg";
    private const string Page = "https://www.example.com";
    private const string PreflightVary = "Access-Control-Request-Method, Access-Control-Request-Headers";

    [Fact]
    public async Task ByDefault_EveryImageAnswer_LetsAnyOriginRead_WithoutVaryingByOrigin()
    {
        var client = defaults.CreateClient();

        using var image = await SendAsync(client, HttpMethod.Get, Image, Page);
        using var withoutOrigin = await SendAsync(client, HttpMethod.Get, Image, origin: null);
        using var missing = await SendAsync(client, HttpMethod.Get, "/v2/demo/t.resize(w:40)/nothing.jpg", Page);
        using var badPattern = await SendAsync(client, HttpMethod.Get, "/v2/demo/t.nope()/photo-3mp-flower.jpg", Page);
        using var notModified = await SendAsync(client, HttpMethod.Get, Image, Page, request => request.Headers.TryAddWithoutValidation("If-None-Match", image.Headers.ETag!.ToString()));

        Assert.Equal(
            [HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.NotFound, HttpStatusCode.BadRequest, HttpStatusCode.NotModified],
            new[] { image, withoutOrigin, missing, badPattern, notModified }.Select(r => r.StatusCode));
        Assert.All(new[] { image, withoutOrigin, missing, badPattern, notModified }, response =>
        {
            Assert.Equal("*", Header(response, "Access-Control-Allow-Origin"));
            Assert.Equal("*", Header(response, "Timing-Allow-Origin"));
            Assert.Null(Header(response, "Vary"));
        });
        Assert.Equal("ETag, Server-Timing, Accept-Ranges, Content-Range", Header(image, "Access-Control-Expose-Headers"));
        Assert.Null(Header(image, "Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task ByDefault_APreflightForAnImage_AllowsGetAndTheHeadersAsked()
    {
        var client = defaults.CreateClient();

        using var get = await PreflightAsync(client, Image, Page, "GET", "if-none-match, x-trace");
        using var put = await PreflightAsync(client, Image, Page, "PUT", null);

        Assert.Equal(HttpStatusCode.NoContent, get.StatusCode);
        Assert.Equal("*", Header(get, "Access-Control-Allow-Origin"));
        Assert.Equal("GET, HEAD", Header(get, "Access-Control-Allow-Methods"));
        Assert.Equal("if-none-match, x-trace", Header(get, "Access-Control-Allow-Headers"));
        Assert.Equal("7200", Header(get, "Access-Control-Max-Age"));

        // Not a method images answer: no CORS headers, so the browser refuses the request itself.
        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        Assert.Null(Header(put, "Access-Control-Allow-Origin"));
        Assert.Null(Header(put, "Access-Control-Allow-Methods"));

        // The two answers differ by what was asked, not by origin: a cache keeping preflights must key on it.
        Assert.All(new[] { get, put }, preflight => Assert.Equal(PreflightVary, Header(preflight, "Vary")));
    }

    [Fact]
    public async Task APreflightAskingForHeadersThatAreNotHeaderNames_GetsNoneReflected()
    {
        var client = defaults.CreateClient();

        using var response = await PreflightAsync(client, Image, Page, "GET", "x-a;x-b");

        Assert.Equal("*", Header(response, "Access-Control-Allow-Origin"));
        Assert.Null(Header(response, "Access-Control-Allow-Headers"));
    }

    [Fact]
    public async Task SignedUploadUrls_AnswerPreflightsForTheirMethods_AndTheirErrorsAreReadable()
    {
        var client = defaults.CreateClient();

        using var preflight = await PreflightAsync(client, "/api/v1/upload/signed/abc?partNumber=1", Page, "PUT", "content-type");
        using var unsigned = await SendAsync(client, HttpMethod.Get, "/api/v1/upload/signed/abc", Page);

        Assert.Equal("*", Header(preflight, "Access-Control-Allow-Origin"));
        Assert.Equal("GET, PUT, POST, DELETE", Header(preflight, "Access-Control-Allow-Methods"));
        Assert.Equal("content-type", Header(preflight, "Access-Control-Allow-Headers"));
        Assert.True((int)unsigned.StatusCode >= 400, unsigned.StatusCode.ToString());
        Assert.Equal("*", Header(unsigned, "Access-Control-Allow-Origin"));
        Assert.Null(Header(unsigned, "Timing-Allow-Origin"));
    }

    [Theory]
    [InlineData("/api/v1/stats")]
    [InlineData("/api/v1/upload/signed-url")]
    [InlineData("/api/v1/jobs")]
    public async Task ApiKeyEndpoints_NeverAnswerCrossOrigin(string path)
    {
        var client = defaults.CreateClient();

        using var preflight = await PreflightAsync(client, path, Page, "POST", "authorization");
        using var get = await SendAsync(client, HttpMethod.Get, path, Page);

        Assert.NotEqual(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Null(Header(preflight, "Access-Control-Allow-Origin"));
        Assert.Null(Header(get, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task AListOfOrigins_EchoesAnAllowedOne_AndEveryAnswerVariesByOrigin()
    {
        using var factory = new CdnProxyFactory(new() { ["CdnProxy:Http:CorsOrigins"] = "https://WWW.example.com, https://shop.example.com" });
        var client = factory.CreateClient();

        using var allowed = await SendAsync(client, HttpMethod.Get, Image + "?f_auto=true", Page);
        using var other = await SendAsync(client, HttpMethod.Get, Image, "https://evil.example");
        using var noOrigin = await SendAsync(client, HttpMethod.Get, Image, origin: null);
        using var preflightAllowed = await PreflightAsync(client, Image, "https://shop.example.com", "GET", null);
        using var preflightOther = await PreflightAsync(client, Image, "https://evil.example", "GET", null);

        Assert.Equal(Page, Header(allowed, "Access-Control-Allow-Origin"));
        Assert.Equal(Page, Header(allowed, "Timing-Allow-Origin"));
        Assert.Equal("Accept, Origin", Header(allowed, "Vary"));
        Assert.Null(Header(other, "Access-Control-Allow-Origin"));
        Assert.Null(Header(other, "Timing-Allow-Origin"));
        Assert.Equal("Origin", Header(other, "Vary"));
        Assert.Null(Header(noOrigin, "Access-Control-Allow-Origin"));
        Assert.Equal("Origin", Header(noOrigin, "Vary"));
        Assert.Equal("https://shop.example.com", Header(preflightAllowed, "Access-Control-Allow-Origin"));
        Assert.Null(Header(preflightOther, "Access-Control-Allow-Origin"));
        Assert.Equal("Origin, " + PreflightVary, Header(preflightAllowed, "Vary"));
        Assert.Equal("Origin, " + PreflightVary, Header(preflightOther, "Vary"));
    }

    [Fact]
    public async Task Off_SendsNoCorsHeaders_AndPreflightsAreNotAnswered()
    {
        using var factory = new CdnProxyFactory(new() { ["CdnProxy:Http:CorsOrigins"] = string.Empty });
        var client = factory.CreateClient();

        using var image = await SendAsync(client, HttpMethod.Get, Image, Page);
        using var preflight = await PreflightAsync(client, Image, Page, "GET", null);

        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Null(Header(image, "Access-Control-Allow-Origin"));
        Assert.Null(Header(image, "Vary"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, preflight.StatusCode);
        Assert.Null(Header(preflight, "Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData("*", "https://a.example", "*")]
    [InlineData("https://a.example", "https://a.example", "https://a.example")]
    [InlineData("https://A.example", "https://a.example", "https://a.example")]
    [InlineData("https://bücher.example", "https://xn--bcher-kva.example", "https://xn--bcher-kva.example")] // what browsers send
    [InlineData("https://bücher.example:8443", "https://xn--bcher-kva.example:8443", "https://xn--bcher-kva.example:8443")]
    [InlineData("https://a.example", "http://a.example", null)]
    [InlineData("https://a.example", "https://a.example:8443", null)]
    [InlineData("https://a.example", null, null)]
    [InlineData("", "https://a.example", null)]
    public void ThePolicy_AllowsExactlyTheOriginsListed(string setting, string? origin, string? expected)
    {
        Assert.Equal(expected, CrossOriginPolicy.Parse(setting).AllowedOriginFor(origin));
    }

    private static Task<HttpResponseMessage> PreflightAsync(HttpClient client, string path, string origin, string method, string? headers) =>
        SendAsync(client, HttpMethod.Options, path, origin, request =>
        {
            request.Headers.Add("Access-Control-Request-Method", method);
            if (headers is not null)
            {
                request.Headers.Add("Access-Control-Request-Headers", headers);
            }
        });

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? origin, Action<HttpRequestMessage>? more = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        more?.Invoke(request);
        return await client.SendAsync(request);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(", ", values) : null;
}
