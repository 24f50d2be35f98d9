using CdnProxy.Urls.Client;
using CdnProxy.Urls.Paths;

namespace CdnProxy.Urls.Tests.Client;

/// <summary>A built URL names exactly the cloud and file asked for, as the server's splitter reads it.</summary>
public class BuiltPathTests
{
    [Theory]
    [InlineData("a#b?c.jpg", "a%23b%3Fc.jpg", "a#b?c.jpg")]
    [InlineData("folder/100%.jpg", "folder/100%25.jpg", "folder/100%.jpg")]
    [InlineData("x/%zz.png", "x/%25zz.png", "x/%zz.png")]
    [InlineData("trailing%", "trailing%25", "trailing%")]
    public void ObjToUrl_FilePath_ReachesTheServerAsThatFile(string filePath, string written, string served)
    {
        var url = PixelbinUrls.ObjToUrl(new PixelbinUrlObject { CloudName = "demo", FilePath = filePath });

        Assert.Equal("https://cdn.pixelbin.io/v2/demo/original/" + written, url);
        var split = CdnUrlSplitter.Split(ServerPath(url));
        Assert.Equal(("demo", "original", served), (split.Cloud, split.PatternText, split.FilePath));
        // And the SDK's parser gives back the same object, so parse and build still round-trip.
        Assert.Equal(url, PixelbinUrls.ObjToUrl(PixelbinUrls.UrlToObj(url)));
    }

    [Fact]
    public void GetUrl_FilePath_IsEscapedAsObjToUrlDoes()
    {
        var url = new PixelbinImage("demo", "a#b?c.jpg") { Transformation = Basic.Flip() }.GetUrl();

        Assert.Equal("https://cdn.pixelbin.io/v2/demo/t.flip()/a%23b%3Fc.jpg", url);
        Assert.Equal("a#b?c.jpg", CdnUrlSplitter.Split(ServerPath(url)).FilePath);
    }

    [Fact]
    public void ToString_OfAnImageNoUrlCanName_SaysWhyInsteadOfThrowing()
    {
        var image = new PixelbinImage("ab", "a.jpg");

        Assert.Throws<PixelbinUrlException>(image.GetUrl);
        Assert.StartsWith("(no URL: key cloudName 'ab'", image.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("de mo/x", "Cloud name may contain only letters, digits, '-' and '_'.")]
    [InlineData("a#b", "Cloud name may contain only letters, digits, '-' and '_'.")]
    [InlineData("ab", "Cloud name must be 3 to 64 characters long.")]
    public void ObjToUrl_CloudTheServerRefuses_IsRefused(string cloud, string reason)
    {
        var error = Assert.Throws<PixelbinUrlException>(() => PixelbinUrls.ObjToUrl(new PixelbinUrlObject { CloudName = cloud, FilePath = "a.jpg" }));

        Assert.Equal((PixelbinErrorKind.IllegalArgument, $"key cloudName '{cloud}' is not one the server accepts: {reason}"), (error.Kind, error.Message));
    }

    [Theory]
    [InlineData("../../etc/passwd", "URL path must not contain '.' or '..' segments.")]
    [InlineData("a/./b.jpg", "URL path must not contain '.' or '..' segments.")]
    [InlineData("a/%2e%2E/b.jpg", "URL path must not contain '.' or '..' segments.")]
    [InlineData("a//b.jpg", "File path must not contain empty segments.")]
    [InlineData("/a.jpg", "File path must not contain empty segments.")]
    [InlineData("folder/", "File path must not contain empty segments.")]
    [InlineData("a\\b.jpg", "URL path must not contain a backslash.")]
    [InlineData("a%00.jpg", "URL path must not contain control characters.")]
    public void ObjToUrl_FilePathTheServerRefuses_IsRefused(string filePath, string reason)
    {
        var error = Assert.Throws<PixelbinUrlException>(() => PixelbinUrls.ObjToUrl(new PixelbinUrlObject { CloudName = "demo", FilePath = filePath }));

        Assert.Equal((PixelbinErrorKind.IllegalArgument, $"key filePath '{filePath}' is not one the server accepts: {reason}"), (error.Kind, error.Message));
    }

    [Fact]
    public void GetUrl_DotSegments_AreRefused() =>
        Assert.Throws<PixelbinUrlException>(() => new PixelbinImage("demo", "../secret.jpg").GetUrl());

    /// <summary>The path the server's splitter gets for <paramref name="url"/>: sent as a client sends it, decoded once.</summary>
    private static string ServerPath(string url) => Uri.UnescapeDataString(new Uri(url).AbsolutePath);
}
