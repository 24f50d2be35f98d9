using System.Net;

namespace CdnProxy.Server.Tests;

/// <summary>The playground's page and files, served from the server's own embedded copies.</summary>
public sealed class PlaygroundEndpointTests
{
    [Fact]
    public async Task Root_IsThePage_WithAPolicyThatAllowsOnlyThisServer()
    {
        using var factory = new CdnProxyFactory();
        using var client = factory.CreateClient();

        using var page = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("://", html.Replace("http://www.w3.org", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/playground/playground.js", "text/javascript")]
    [InlineData("/playground/playground.css", "text/css")]
    [InlineData("/playground/index.html", "text/html")]
    public async Task TheFiles_AreServedWithTheirTypes_AndRevalidated(string path, string type)
    {
        using var factory = new CdnProxyFactory();
        using var client = factory.CreateClient();

        using var file = await client.GetAsync(new Uri(path, UriKind.Relative));
        using var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.IfNoneMatch.Add(file.Headers.ETag!);
        using var revalidated = await client.SendAsync(again);

        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal(type, file.Content.Headers.ContentType?.MediaType);
        Assert.True(file.Headers.CacheControl!.NoCache);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
    }

    [Theory]
    [InlineData("/playground/nope.js")]
    [InlineData("/playground/..%2Fappsettings.json")]
    [InlineData("/playground/%2E%2E%2Fconfig%2Fcdnproxy.json")]
    [InlineData("/playground/")]
    [InlineData("/index.html")]
    public async Task AnythingElse_Is404(string path)
    {
        using var factory = new CdnProxyFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Disabled_ThePageAndItsFilesAre404_ImagesAndTheCatalogueStay()
    {
        using var factory = new CdnProxyFactory(new Dictionary<string, string?> { ["CdnProxy:Playground:Enabled"] = "false" });
        using var client = factory.CreateClient();

        using var page = await client.GetAsync(new Uri("/", UriKind.Relative));
        using var script = await client.GetAsync(new Uri("/playground/playground.js", UriKind.Relative));
        using var catalog = await client.GetAsync(new Uri("/api/v1/catalog", UriKind.Relative));
        using var image = await client.GetAsync(new Uri("/v2/demo/t.resize(w:20)/photo-3mp-flower.jpg", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, script.StatusCode);
        Assert.Equal(HttpStatusCode.OK, catalog.StatusCode);
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
    }
}
