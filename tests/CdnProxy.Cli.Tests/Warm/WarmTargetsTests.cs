using CdnProxy.Cli.Warm;

namespace CdnProxy.Cli.Tests.Warm;

public sealed class WarmTargetsTests
{
    private static readonly Uri Base = new("https://cdn.example.com/v2/demo/");

    [Fact]
    public void Lines_SkipBlanksAndComments() =>
        Assert.Equal(["https://a/1.jpg", "https://a/2.jpg"], WarmTargets.FromText("# header\nhttps://a/1.jpg\n\n  https://a/2.jpg  \r\n"));

    [Fact]
    public void Sitemap_GivesEveryLocIncludingImages_Once()
    {
        const string xml = """
            <?xml version="1.0"?>
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
              <url><loc>https://site/page</loc><image:image><image:loc>https://cdn/v2/demo/t.resize(w:300)/a.jpg</image:loc></image:image></url>
              <url><loc>https://site/page</loc></url>
            </urlset>
            """;

        Assert.Equal(["https://site/page", "https://cdn/v2/demo/t.resize(w:300)/a.jpg"], WarmTargets.FromText(xml));
    }

    [Fact]
    public void BrokenSitemap_IsAnArgumentError() => Assert.Throws<ArgumentException>(() => WarmTargets.FromText("<urlset><loc>"));

    [Fact]
    public void Patterns_TimesFiles() =>
        Assert.Equal(
            ["https://cdn.example.com/v2/demo/t.flip()/a.jpg", "https://cdn.example.com/v2/demo/t.flip()/b/c.png", "https://cdn.example.com/v2/demo/original/a.jpg", "https://cdn.example.com/v2/demo/original/b/c.png"],
            WarmTargets.Product(Base, ["t.flip()", "original"], ["a.jpg", "/b/c.png"]));

    [Fact]
    public void Srcset_ReplacesTheWidth()
    {
        Assert.Equal(
            ["https://cdn.example.com/v2/demo/t.resize(w:320)/a.jpg", "https://cdn.example.com/v2/demo/t.resize(w:640)/a.jpg"],
            WarmTargets.Srcset(Base, "t.resize(w:{w})", WarmTargets.Widths("320, 640"), ["a.jpg"]));
        Assert.Throws<ArgumentException>(() => WarmTargets.Srcset(Base, "t.resize(w:300)", [320], ["a.jpg"]));
        Assert.Throws<ArgumentException>(() => WarmTargets.Widths("320,-1"));
    }

    [Theory]
    [InlineData("https://cdn/a.jpg", true)]
    [InlineData("http://cdn/a.jpg", true)]
    [InlineData("ftp://cdn/a.jpg", false)]
    [InlineData("/v2/demo/original/a.jpg", false)]
    public void OnlyAbsoluteHttpUrls_AreRequested(string url, bool requestable) => Assert.Equal(requestable, WarmTargets.IsRequestable(url));
}
