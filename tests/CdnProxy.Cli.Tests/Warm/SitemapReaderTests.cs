using System.Net;
using System.Text;
using CdnProxy.Cli.Warm;

namespace CdnProxy.Cli.Tests.Warm;

public sealed class SitemapReaderTests
{
    private const string Urlset = """<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">""";
    private const string Index = """<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">""";

    [Fact]
    public async Task Sitemap_GivesEveryLocIncludingImages_Once()
    {
        const string xml = """
            <?xml version="1.0"?>
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
              <url><loc>https://site/page</loc><image:image><image:loc>https://cdn/v2/demo/t.resize(w:300)/a.jpg</image:loc></image:image></url>
              <url><loc>https://site/page</loc></url><url><loc>https://site/b</loc></url>
            </urlset>
            """;

        Assert.Equal(["https://site/page", "https://cdn/v2/demo/t.resize(w:300)/a.jpg", "https://site/b"], await Read(xml, NoSitemaps()));
    }

    [Fact]
    public async Task Index_HasEachListedSitemapFetchedAndRead_OnceEach()
    {
        var fetched = new List<string>();
        var sitemaps = new Dictionary<string, string>
        {
            ["https://site/a.xml"] = Urlset + "<url><loc>https://cdn/a.jpg</loc></url></urlset>",
            ["https://site/b.xml"] = Index + "<sitemap><loc>https://site/c.xml</loc></sitemap><sitemap><loc>https://site/a.xml</loc></sitemap></sitemapindex>",
            ["https://site/c.xml"] = Urlset + "<url><loc>https://cdn/c.jpg</loc></url><url><loc>https://cdn/a.jpg</loc></url></urlset>",
        };
        using var http = Serving(sitemaps, fetched);
        var index = Index + "<sitemap><loc>https://site/a.xml</loc></sitemap><sitemap><loc>https://site/b.xml</loc></sitemap></sitemapindex>";

        Assert.Equal(["https://cdn/a.jpg", "https://cdn/c.jpg"], await Read(index, http));
        Assert.Equal(["https://site/a.xml", "https://site/b.xml", "https://site/c.xml"], fetched);
    }

    [Theory]
    [InlineData("<urlset><loc>", "sitemap urls.xml is not valid XML (line 1)")]
    [InlineData("<urlset>\n<url><loc>https://a/1.jpg</loc></url>\n<url><loc>https://a/2.jpg</url>\n</urlset>", "sitemap urls.xml is not valid XML (line 3)")]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE urlset [<!ENTITY a \"aaaa\">]><urlset><url><loc>&a;</loc></url></urlset>", "sitemap urls.xml is not valid XML")]
    [InlineData("<html><body>Not found</body></html>", "sitemap urls.xml is not a sitemap: its root element is <html>, not <urlset> or <sitemapindex>")]
    public async Task BrokenSitemap_IsSaidInALineOfOurs(string xml, string message)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Read(xml, NoSitemaps()));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task IndexThatListsItselfOrNestsTooDeep_StopsWithTheLimit()
    {
        // Every sitemap is an index listing a next one, for ever: depth is what stops it.
        using var http = new HttpClient(Answering.Of(request =>
            Xml(Index + $"<sitemap><loc>{request.RequestUri}x</loc></sitemap><sitemap><loc>{request.RequestUri}</loc></sitemap></sitemapindex>")));
        var reader = new SitemapReader(http, new SitemapLimits { MaxDepth = 3 }, TimeSpan.FromSeconds(5));

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            reader.ReadAsync("urls.xml", Index + "<sitemap><loc>https://site/i</loc></sitemap></sitemapindex>", default));

        Assert.Equal("sitemap index https://site/ixx: sitemap indexes nest more than 3 deep", error.Message);
    }

    [Theory]
    [InlineData(2, 100, 1000, "sitemap https://site/s1.xml: more than 2 sitemaps to read; warm them in parts")]
    [InlineData(100, 3, 1000, "sitemap https://site/s1.xml: the sitemaps list more than 3 URLs; warm them in parts")]
    [InlineData(100, 100, 60, "https://site/s0.xml is larger than 60 bytes, the most one sitemap or file of URLs may be")]
    [InlineData(100, 100, 1000, "https://site/s3.xml: the sitemaps come to more than 500 bytes; warm them in parts")]
    public async Task SitemapsBeyondALimit_AreRefusedNamingIt(int sitemaps, int urls, long bytes, string message)
    {
        using var http = new HttpClient(Answering.Of(request =>
            Xml(Urlset + $"<url><loc>https://cdn/{request.RequestUri!.Segments[^1]}-1.jpg</loc></url><url><loc>https://cdn/{request.RequestUri.Segments[^1]}-2.jpg</loc></url></urlset>")));
        var limits = new SitemapLimits { MaxSitemaps = sitemaps, MaxUrls = urls, MaxBytes = bytes, MaxTotalBytes = 500 };
        var reader = new SitemapReader(http, limits, TimeSpan.FromSeconds(5));
        var index = Index + string.Concat(Enumerable.Range(0, 5).Select(i => $"<sitemap><loc>https://site/s{i}.xml</loc></sitemap>")) + "</sitemapindex>";

        var error = await Assert.ThrowsAsync<ArgumentException>(() => reader.ReadAsync("urls.xml", index, default));

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, "sitemap https://site/a.xml (listed in urls.xml) could not be fetched: HTTP 404")]
    [InlineData(HttpStatusCode.OK, "sitemap https://site/a.xml is not valid XML (line 1)")]
    public async Task ListedSitemapThatCannotBeRead_IsNamed(HttpStatusCode status, string message)
    {
        using var http = new HttpClient(Answering.Of(_ => new HttpResponseMessage(status) { Content = new StringContent("<urlset><url>") }));

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            Read(Index + "<sitemap><loc>https://site/a.xml</loc></sitemap></sitemapindex>", http));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task GzippedSitemap_IsReadAsItsText_WithinTheLimitOnText()
    {
        var xml = Urlset + string.Concat(Enumerable.Range(0, 200).Select(i => $"<url><loc>https://cdn/{i}.jpg</loc></url>")) + "</urlset>";
        using var gzipped = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(gzipped, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(xml));
        }

        var bytes = gzipped.ToArray();
        using var http = new HttpClient(Answering.Of(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(bytes) }));
        var index = Index + "<sitemap><loc>https://site/s.xml.gz</loc></sitemap></sitemapindex>";

        Assert.Equal(200, (await Read(index, http)).Count);
        // The compressed body is far below the limit; its text is not.
        var small = new SitemapReader(http, new SitemapLimits { MaxBytes = bytes.Length * 2 }, TimeSpan.FromSeconds(5));
        var error = await Assert.ThrowsAsync<ArgumentException>(() => small.ReadAsync("urls.xml", index, default));
        Assert.Equal($"https://site/s.xml.gz is larger than {bytes.Length * 2} bytes, the most one sitemap or file of URLs may be", error.Message);
    }

    [Fact]
    public async Task WarmCommand_BrokenSitemap_ExitsWithOurMessageAndNoStackTrace()
    {
        using var http = NoSitemaps();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var request = new WarmRequest("-", null, null, null, null, null, null);

        var exit = await WarmCommand.RunAsync(request, new WarmOptions(), http, new StringReader("<urlset>\n<url><loc>x</url>"), output, error, default);

        Assert.Equal((WarmCommand.InvalidArgumentsExitCode, "error: sitemap (standard input) is not valid XML (line 2)"), (exit, error.ToString().TrimEnd()));
    }

    [Theory]
    [InlineData("x", 101)]
    [InlineData("\u00fc", 51)] // 2 bytes each: 51 characters are 102 bytes
    [InlineData("\u20ac", 34)] // 3 bytes each
    [InlineData("\U0001F600", 26)] // a surrogate pair, 4 bytes each: 52 characters
    public async Task WarmCommand_StandardInputLargerThanAFileMayBe_IsRefusedInBytes(string character, int count)
    {
        using var http = NoSitemaps();
        using var error = new StringWriter();
        var request = new WarmRequest("-", null, null, null, null, null, null) { Sitemaps = new SitemapLimits { MaxBytes = 100 } };

        var exit = await WarmCommand.RunAsync(
            request, new WarmOptions(), http, new StringReader(string.Concat(Enumerable.Repeat(character, count))), TextWriter.Null, error, default);

        Assert.Equal(
            (WarmCommand.InvalidArgumentsExitCode, "error: (standard input) is larger than 100 bytes, the most one sitemap or file of URLs may be"),
            (exit, error.ToString().TrimEnd()));
    }

    [Fact]
    public async Task StandardInput_AtTheBoundInBytes_IsRead_EvenWhenAPairIsSplitBetweenReads()
    {
        // 25 pairs are 100 bytes; reading 3 characters at a time splits pairs, which must still count 4 bytes each.
        var text = string.Concat(Enumerable.Repeat("\U0001F600", 25));
        using var http = NoSitemaps();
        var reader = new SitemapReader(http, new SitemapLimits { MaxBytes = 100 }, TimeSpan.FromSeconds(5));

        Assert.Equal(text, await reader.ReadTextAsync("(standard input)", new ThreeCharactersAtATime(text), default));
        await Assert.ThrowsAsync<ArgumentException>(() => reader.ReadTextAsync("(standard input)", new ThreeCharactersAtATime(text + "x"), default));
    }

    private static Task<List<string>> Read(string xml, HttpClient http) =>
        new SitemapReader(http, new SitemapLimits(), TimeSpan.FromSeconds(5)).ReadAsync("urls.xml", xml, default);

    private static HttpClient NoSitemaps() => new(Answering.Of(request => throw new InvalidOperationException($"fetched {request.RequestUri}")));

    private static HttpClient Serving(Dictionary<string, string> sitemaps, List<string> fetched) =>
        new(Answering.Of(request =>
        {
            fetched.Add(request.RequestUri!.AbsoluteUri);
            return Xml(sitemaps[request.RequestUri.AbsoluteUri]);
        }));

    private static HttpResponseMessage Xml(string xml) => new(HttpStatusCode.OK) { Content = new StringContent(xml, Encoding.UTF8, "application/xml") };

    /// <summary>A reader that hands out at most three characters per read, as a pipe may split its text anywhere.</summary>
    private sealed class ThreeCharactersAtATime(string text) : StringReader(text)
    {
        public override ValueTask<int> ReadAsync(Memory<char> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(3, buffer.Length)], cancellationToken);
    }
}
