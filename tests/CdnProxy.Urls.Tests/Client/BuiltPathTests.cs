using System.Text.RegularExpressions;
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

    [Theory]
    [InlineData("a%2Fb.jpg")]
    [InlineData("reports%2f2024/q1.png")]
    public void ObjToUrl_EscapedSlashInFilePath_IsRefused_ForTheServerWouldNotReadItAsAFolder(string filePath)
    {
        var error = Assert.Throws<PixelbinUrlException>(() => PixelbinUrls.ObjToUrl(new PixelbinUrlObject { CloudName = "demo", FilePath = filePath }));

        Assert.Equal(
            $"key filePath '{filePath}' is not one the server accepts: the server keeps %2F as the text %2F, so it would name no folder; write / for a folder, or %252F for a name that contains the text %2F",
            error.Message);
    }

    [Theory]
    [InlineData("a%252Fb.jpg", "a%2Fb.jpg")]
    [InlineData("..%252F..%252Fsecret.jpg", "..%2F..%2Fsecret.jpg")]
    [InlineData("folder/a%252Fb.jpg", "folder/a%2Fb.jpg")]
    public void ObjToUrl_FileNameHoldingTheTextPercent2F_StaysOneSegmentUnderTheCloud(string filePath, string served)
    {
        var url = PixelbinUrls.ObjToUrl(new PixelbinUrlObject { CloudName = "demo", FilePath = filePath });

        Assert.Equal("https://cdn.pixelbin.io/v2/demo/original/" + filePath, url);
        var split = CdnUrlSplitter.Split(ServerPath(url));
        Assert.Equal(("demo", served), (split.Cloud, split.FilePath));
        Assert.Equal(served.Count(c => c == '/'), split.FilePath.Count(c => c == '/'));
    }

    [Theory]
    [InlineData("resize:w200/img.jpg", "resize:w200/img.jpg?dpr=2", "resize:w200/img.jpg")]
    [InlineData("image/upload/w_300,h_200,c_fill/v1/a.jpg", "image/upload/w_300,h_200,c_fill/v1/a.jpg?dpr=2", "image/upload/w_300,h_200,c_fill/v1/a.jpg")]
    [InlineData("insecure/plain/http://origin/a.jpg", "insecure/plain/http://origin/a.jpg?dpr=2", "insecure/plain/http://origin/a.jpg")]
    [InlineData("sale/50%#1.jpg", "sale/50%25%231.jpg?dpr=2", "sale/50%#1.jpg")]
    [InlineData("fetch/https:%2F%2Forigin%2Fa.jpg", "fetch/https:%2F%2Forigin%2Fa.jpg?dpr=2", "fetch/https:%2F%2Forigin%2Fa.jpg")]
    [InlineData("photo.jpg?w=150&fit=crop", "photo.jpg?w=150&fit=crop&dpr=2", "photo.jpg")] // the worker's own query, before the options
    [InlineData("photo.jpg?fill-color=#fff&q=50%", "photo.jpg?fill-color=%23fff&q=50%25&dpr=2", "photo.jpg")]
    [InlineData("photo.jpg?", "photo.jpg?dpr=2", "photo.jpg")]
    public void ObjToUrl_WorkerPath_ReachesTheServersRulesAsWritten(string workerPath, string written, string served)
    {
        var url = PixelbinUrls.ObjToUrl(new PixelbinUrlObject { CloudName = "demo", Worker = true, WorkerPath = workerPath, Options = new() { Dpr = 2 } });

        Assert.Equal($"https://cdn.pixelbin.io/v2/demo/wrkr/{written}", url);
        Assert.Equal(served, CdnUrlSplitter.Split(ServerPath(url)).WorkerPath);
    }

    [Theory]
    [InlineData("products/shoe.jpg?w=300&h=200&fit=crop&fm=webp&q=80")]
    [InlineData("img.jpg?fill-color=%23FF0000&fit=fill&w=100&h=50")]
    [InlineData("a/b/c.jpg?auto=format%2Ccompress&w=1200")]
    public void ObjToUrl_ImgixStyleWorkerPath_IsTranslatedAsTheVendorsUrlIs(string workerPath)
    {
        var imgix = Workers.WorkerRuleSets.Translator("imgix");
        var url = new Uri(PixelbinUrls.ObjToUrl(new PixelbinUrlObject { CloudName = "demo", Worker = true, WorkerPath = workerPath }));

        // The server hands the rules the worker path, then '?' and the query as sent.
        var served = CdnUrlSplitter.Split(ServerPath(url.AbsoluteUri)).WorkerPath + url.Query;
        Assert.Equal(imgix.Translate(workerPath), imgix.Translate(served));
    }

    [Theory]
    [InlineData("../../other/original/a.jpg", "a '.' or '..' segment would be resolved by the client, taking the URL out of the worker path")]
    [InlineData("a/%2e%2E/b.jpg", "a '.' or '..' segment would be resolved by the client, taking the URL out of the worker path")]
    [InlineData("a/./b.jpg", "a '.' or '..' segment would be resolved by the client, taking the URL out of the worker path")]
    [InlineData("a\\b.jpg", "URL path must not contain a backslash.")]
    [InlineData("a%5Cb.jpg", "URL path must not contain a backslash.")]
    [InlineData("a%0Ab.jpg", "URL path must not contain control characters.")]
    public void ObjToUrl_WorkerPathTheServerOrAClientWouldChange_IsRefused(string workerPath, string reason)
    {
        var build = () => PixelbinUrls.ObjToUrl(new PixelbinUrlObject { CloudName = "demo", Worker = true, WorkerPath = workerPath });

        var error = Assert.Throws<PixelbinUrlException>(build);
        Assert.Equal($"key workerPath '{workerPath}' is not one the server accepts: {reason}", error.Message);
        Assert.Throws<PixelbinUrlException>(() => new PixelbinImage("demo", workerPath, worker: true).GetUrl());
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

    /// <summary>
    /// The path the server's splitter gets for <paramref name="url"/>: sent as a client sends it, then decoded once as
    /// ASP.NET Core decodes a request path, every escape but <c>%2F</c> (CdnProxy.Server.Tests checks this on Kestrel).
    /// </summary>
    internal static string ServerPath(string url) =>
        string.Concat(Regex.Split(new Uri(url).AbsolutePath, "(%2[Ff])").Select(part => part is "%2F" or "%2f" ? part : Uri.UnescapeDataString(part)));
}
