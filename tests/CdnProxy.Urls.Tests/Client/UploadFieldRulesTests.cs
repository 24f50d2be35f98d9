using System.Net;
using CdnProxy.Urls.Client.Uploads;

namespace CdnProxy.Urls.Tests.Client;

/// <summary>
/// The upload tag and name rules the server enforces and the clients check first (<see cref="UploadFieldRules"/>), and
/// <see cref="Uploader"/> refusing by them before its first request.
/// </summary>
public sealed class UploadFieldRulesTests
{
    private static readonly string[] NoTags = [];

    [Theory]
    [InlineData("", "tag must not be empty; got ''.")]
    [InlineData("  ", "tag must not be empty; got '  '.")]
    [InlineData("red,blue", "tag must not hold a ',': the server reads a comma-separated list, so it would store several tags; give each as a tag of its own; got 'red,blue'.")]
    [InlineData("red,", "tag must not hold a ',': the server reads a comma-separated list, so it would store several tags; give each as a tag of its own; got 'red,'.")]
    [InlineData(" [\"a\"]", "tag must not start with '[': the server reads such a value as a JSON array of tags; got ' [\"a\"]'.")]
    [InlineData("a\tb", "tag must be printable characters (no tab, newline or other control character); got 'a\tb'.")]
    [InlineData("a\0", "tag must be printable characters (no tab, newline or other control character); got 'a\0'.")]
    public void TagsRefusal_SaysWhyTheServerWouldRefuseOrChangeATag(string tag, string message) =>
        Assert.Equal(message, UploadFieldRules.TagsRefusal(["fine", tag], "tag"));

    [Theory]
    [InlineData("red")]
    [InlineData(" red ")] // trimmed, as the server does
    [InlineData("a b]")]
    [InlineData("ü-ß-漢")]
    public void TagsRefusal_TakesTagsTheServerStoresAsGiven(string tag) =>
        Assert.Null(UploadFieldRules.TagsRefusal([tag], "tag"));

    [Fact]
    public void TagsRefusal_LengthAndCountLimits_AreTheServers()
    {
        Assert.Null(UploadFieldRules.TagsRefusal([new string('t', 128)], "tag"));
        Assert.Equal(
            "tag must be at most 128 characters; this one has 129; got '" + new string('t', 129) + "'.",
            UploadFieldRules.TagsRefusal([new string('t', 129)], "tag"));

        string[] hundred = [.. Enumerable.Range(0, 100).Select(i => $"t{i}")];
        Assert.Null(UploadFieldRules.TagsRefusal([.. hundred, "t0", " t1 "], "tag")); // the same tag twice counts once
        Assert.Equal("tag may be given for at most 100 different tags; got 101.", UploadFieldRules.TagsRefusal([.. hundred, "t100"], "tag"));
        Assert.Null(UploadFieldRules.TagsRefusal(NoTags, "tag"));
    }

    [Fact]
    public void TagsRefusal_ANullTag_IsAnArgumentError() =>
        Assert.Throws<ArgumentException>("tags", () => UploadFieldRules.TagsRefusal(["a", null!], "tag"));

    [Theory]
    [InlineData("", "must not be empty")]
    [InlineData("a\u007fb", "must be printable characters (no tab, newline or other control character)")]
    [InlineData("a b", null)]
    public void StoredTagRefusal_IsTheServersCheckOfAStoredTag(string tag, string? reason) =>
        Assert.Equal(reason, UploadFieldRules.StoredTagRefusal(tag));

    [Theory]
    [InlineData("a/b", "name must be a plain file name, without '/' or '\\' (the path gives the folder); got 'a/b'.")]
    [InlineData("a\\b", "name must be a plain file name, without '/' or '\\' (the path gives the folder); got 'a\\b'.")]
    [InlineData("/a", "name must be a plain file name, without '/' or '\\' (the path gives the folder); got '/a'.")]
    [InlineData(".", "name must not be '.' or '..'; got '.'.")]
    [InlineData(" .. ", "name must not be '.' or '..'; got ' .. '.")]
    [InlineData("..jpg", "name must not be '.' or '..'; got '..jpg'.")] // '.' once the extension is dropped
    [InlineData(".jpg", "name must have a name before its extension '.jpg'; got '.jpg'.")]
    [InlineData(".TIFF", "name must have a name before its extension '.TIFF'; got '.TIFF'.")]
    [InlineData(".cdnproxy-uploads", "name must not start with '.cdnproxy' or end with '.cdnproxy.json': those names are the server's own; got '.cdnproxy-uploads'.")]
    [InlineData(".CdnProxy-tmp.png", "name must not start with '.cdnproxy' or end with '.cdnproxy.json': those names are the server's own; got '.CdnProxy-tmp.png'.")]
    [InlineData("x.CDNPROXY.JSON", "name must not start with '.cdnproxy' or end with '.cdnproxy.json': those names are the server's own; got 'x.CDNPROXY.JSON'.")]
    [InlineData("a\nb", "name must be printable characters (no tab, newline or other control character); got 'a\nb'.")]
    [InlineData("a\0", "name must be printable characters (no tab, newline or other control character); got 'a\0'.")]
    [InlineData("a .jpg", "name must not start or end with white space (before its extension); got 'a .jpg'.")] // stored as "a "
    public void NameRefusal_SaysWhyTheServerWouldRefuseAName(string name, string message) =>
        Assert.Equal(message, UploadFieldRules.NameRefusal(name, "name"));

    [Theory]
    [InlineData(null)] // the server picks a name
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("photo")]
    [InlineData(" photo.jpg ")]
    [InlineData("a.b.c")]
    [InlineData("cdnproxy")]
    [InlineData("x.cdnproxy.json.bak")]
    [InlineData("my photo (1)")]
    public void NameRefusal_TakesNamesTheServerStores(string? name) =>
        Assert.Null(UploadFieldRules.NameRefusal(name, "name"));

    [Fact]
    public void NameRefusal_CountsBytesOfUtf8_WithoutAKnownExtension()
    {
        // 'ü' is 2 bytes: 100 are 200, the most; the dropped extension does not count, an unknown one does.
        Assert.Null(UploadFieldRules.NameRefusal(new string('\u00fc', 100), "name"));
        Assert.Null(UploadFieldRules.NameRefusal(new string('\u00fc', 100) + ".jpeg", "name"));
        Assert.Equal(
            "name must be at most 200 bytes of UTF-8; this one has 202; got '" + new string('\u00fc', 101) + "'.",
            UploadFieldRules.NameRefusal(new string('\u00fc', 101), "name"));
        Assert.Equal(
            "name must be at most 200 bytes of UTF-8; this one has 204; got '" + new string('\u00fc', 100) + ".txt'.",
            UploadFieldRules.NameRefusal(new string('\u00fc', 100) + ".txt", "name"));
    }

    [Theory]
    [InlineData("photo.jpg", "photo")]
    [InlineData("photo.JPEG", "photo")]
    [InlineData("scan.tif", "scan")]
    [InlineData("scan.tiff", "scan")]
    [InlineData("a.jpg.png", "a.jpg")] // one extension only
    [InlineData("a.tar.gz", "a.tar.gz")]
    [InlineData("a.", "a.")]
    [InlineData(".png", "")]
    public void WithoutKnownExtension_DropsOneKnownImageExtension(string name, string expected) =>
        Assert.Equal(expected, UploadFieldRules.WithoutKnownExtension(name));

    [Fact]
    public void KnownImageExtensions_AreTheFormatsTheServerStores() =>
        Assert.Equal([".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", ".heic", ".heif", ".tif", ".tiff"], UploadFieldRules.KnownImageExtensions);

    [Theory]
    [InlineData(null, "red,blue", "A tag of UploadArguments.Tags must not hold a ','")]
    [InlineData("..", "red", "UploadArguments.Name must not be '.' or '..'; got '..'.")]
    public async Task Uploader_RefusesBadTagsAndNames_BeforeAnyRequest(string? name, string tag, string message)
    {
        using var handler = new NoRequestExpected();
        using var http = new HttpClient(handler);
        var uploader = new Uploader(http, new Uri("https://img.example.com/"), "key");
        var arguments = new UploadArguments { Name = name, Tags = [tag] };
        using var file = new MemoryStream([1, 2, 3]);

        var upload = await Assert.ThrowsAsync<ArgumentException>("arguments", () => uploader.UploadAsync(file, arguments));
        var signed = await Assert.ThrowsAsync<ArgumentException>("arguments", () => uploader.CreateSignedUploadAsync(arguments, 3));

        Assert.StartsWith(message, upload.Message, StringComparison.Ordinal);
        Assert.StartsWith(message, signed.Message, StringComparison.Ordinal);
        Assert.Equal(0, handler.Requests);
    }

    [Fact]
    public async Task Uploader_SendsTagsAndNamesTheServerTakes()
    {
        using var handler = new NoRequestExpected { Answer = HttpStatusCode.ServiceUnavailable };
        using var http = new HttpClient(handler);
        var uploader = new Uploader(http, new Uri("https://img.example.com/"), "key");

        await Assert.ThrowsAsync<UploadException>(() => uploader.CreateSignedUploadAsync(new UploadArguments { Name = "photo.jpg", Tags = ["red", " blue "] }, 3));

        Assert.Equal(1, handler.Requests);
    }

    /// <summary>Fails the test on any request, unless <see cref="Answer"/> is set; counts them either way.</summary>
    private sealed class NoRequestExpected : HttpMessageHandler
    {
        private int _requests;

        public HttpStatusCode? Answer { get; init; }

        public int Requests => Volatile.Read(ref _requests);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            return Answer is { } status
                ? Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent("""{"message":"down"}""") })
                : throw new InvalidOperationException($"No request was expected; got {request.Method} {request.RequestUri}.");
        }
    }
}
