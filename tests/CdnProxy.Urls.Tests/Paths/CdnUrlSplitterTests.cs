using CdnProxy.Urls.Paths;

namespace CdnProxy.Urls.Tests.Paths;

public class CdnUrlSplitterTests
{
    [Theory]
    // Spec §6.1 U1, U3, U12, U17 (U17 as the server sees it, after percent-decoding).
    [InlineData("/v2/broken-butterfly-3b12f1/original/W2.jpeg", "v2", "broken-butterfly-3b12f1", "original", "W2.jpeg")]
    [InlineData("/v2/broken-butterfly-3b12f1/t.resize(h:600,w:800)~t.rotate(a:-249)~t.flip()~t.trim(t:217)/W2.jpeg",
        "v2", "broken-butterfly-3b12f1", "t.resize(h:600,w:800)~t.rotate(a:-249)~t.flip()~t.trim(t:217)", "W2.jpeg")]
    [InlineData("/v1/demo/t.resize(w:100)/a/b/c.png", "v1", "demo", "t.resize(w:100)", "a/b/c.png")]
    [InlineData("/v2/demo/original/folder/sub dir/img x.jpg", "v2", "demo", "original", "folder/sub dir/img x.jpg")]
    [InlineData("/v2/feel/erase.bg(shadow:true)/MZZKB3e1hT48o0NYJ2Kxh.jpeg", "v2", "feel", "erase.bg(shadow:true)", "MZZKB3e1hT48o0NYJ2Kxh.jpeg")]
    [InlineData("/v2/a_b/original/.well-known/x..y.png", "v2", "a_b", "original", ".well-known/x..y.png")]
    public void Split_ValidPath_ReturnsSegments(string path, string version, string cloud, string pattern, string filePath)
    {
        var url = CdnUrlSplitter.Split(path);

        Assert.Equal(new CdnUrl(version, cloud, pattern, filePath), url);
    }

    [Fact]
    public void Split_CloudOf64Characters_IsAccepted()
    {
        var cloud = new string('c', 64);

        var url = CdnUrlSplitter.Split($"/v2/{cloud}/original/x.jpg");

        Assert.Equal(cloud, url.Cloud);
    }

    [Fact]
    public void Split_FilePathOf1024Characters_IsAccepted()
    {
        var filePath = new string('f', 1024);

        var url = CdnUrlSplitter.Split($"/v2/demo/original/{filePath}");

        Assert.Equal(filePath, url.FilePath);
    }

    [Theory]
    [InlineData("", "start with '/'")]
    [InlineData("v2/demo/original/x.jpg", "start with '/'")]
    [InlineData("/v3/demo/original/img.jpg", "version")]
    [InlineData("/V2/demo/original/img.jpg", "version")]
    [InlineData("/demo/t.resize(w:100)/a/b/c.png", "version")]
    [InlineData("/v2/ab/original/img.jpg", "Cloud name must be")]
    [InlineData("/v2//original/img.jpg", "Cloud name must be")]
    [InlineData("/v2", "Cloud name must be")]
    [InlineData("/v2/de.mo/original/img.jpg", "Cloud name may contain")]
    [InlineData("/v2/demo/img.jpg", "no file path")]
    [InlineData("/v2/demo/original", "no file path")]
    [InlineData("/v2/demo/original/", "no file path")]
    [InlineData("/v2/demo//img.jpg", "no pattern")]
    [InlineData("/v2/demo/../img.jpg", "'..'")]
    [InlineData("/v2/demo/original/../secret.jpg", "'..'")]
    [InlineData("/v2/demo/original/a/../../secret.jpg", "'..'")]
    [InlineData("/v2/demo/original/./img.jpg", "'..'")]
    [InlineData("/v2/demo/original/a/..", "'..'")]
    [InlineData("/v2/demo/original/a//img.jpg", "empty segments")]
    [InlineData("/v2/demo/original/a/img.jpg/", "empty segments")]
    [InlineData("/v2/demo/original/a\\..\\img.jpg", "backslash")]
    [InlineData("/v2/demo/original/img\0.jpg", "control characters")]
    [InlineData("/v2/demo/original/img\n.jpg", "control characters")]
    [InlineData("/v2/demo/original/img\u007f.jpg", "control characters")]
    public void Split_MalformedPath_ThrowsMalformedUrl(string path, string messagePart)
    {
        var error = Assert.Throws<CdnUrlException>(() => CdnUrlSplitter.Split(path));

        Assert.Equal(UrlErrorCode.MalformedUrl, error.Code);
        Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Split_CloudLongerThan64_ThrowsMalformedUrl()
    {
        var error = Assert.Throws<CdnUrlException>(() => CdnUrlSplitter.Split($"/v2/{new string('c', 65)}/original/x.jpg"));

        Assert.Equal(UrlErrorCode.MalformedUrl, error.Code);
    }

    [Theory]
    [InlineData(1024, true)]
    [InlineData(1025, false)]
    public void Split_FilePathOf1024BytesOfUtf8_IsTheLongest(int bytes, bool accepted)
    {
        // 'é' is two bytes: S3 limits keys in bytes, so 600 of them (600 characters) are too long.
        var path = new string('é', bytes / 2) + new string('f', bytes % 2);

        var error = Record.Exception(() => CdnUrlSplitter.Split($"/v2/demo/original/{path}"));

        Assert.Equal(accepted, error is null);
        Assert.Equal(accepted ? null : "File path is longer than 1024 bytes (UTF-8).", error?.Message);
    }

    [Fact]
    public void Split_FilePathLongerThan1024_ThrowsMalformedUrl()
    {
        var error = Assert.Throws<CdnUrlException>(() => CdnUrlSplitter.Split($"/v2/demo/original/{new string('f', 1025)}"));

        Assert.Equal(UrlErrorCode.MalformedUrl, error.Code);
        Assert.Contains("File path is longer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Split_PathLongerThan4096_ThrowsBeforeLookingAtTheShape()
    {
        // The shape is also wrong (v9, a NUL); the length check must win.
        var path = "/v9/\0/" + new string('x', CdnUrlSplitter.MaxPathLength);

        var error = Assert.Throws<CdnUrlException>(() => CdnUrlSplitter.Split(path));

        Assert.Equal(UrlErrorCode.MalformedUrl, error.Code);
        Assert.Contains("longer than 4096", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Split_Null_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => CdnUrlSplitter.Split(null!));
    }
}
