using System.Text.Json;
using CdnProxy.Urls.Client;

namespace CdnProxy.Urls.Tests.Client;

/// <summary>Spec §6.4: the SDK's <c>objToUrl</c> vectors and errors.</summary>
public class ObjToUrlTests
{
    private static PixelbinTransformation T(string plugin, string name, params (string Key, string? Value)[] values) =>
        new(plugin, name, values.Length == 0 ? null : [.. values.Select(v => new PixelbinValue(v.Key, v.Value))]);

    [Fact]
    public void ZoneAndTransformations()
    {
        var obj = new PixelbinUrlObject
        {
            CloudName = "demo", Zone = "z-slug", Version = "v2", FilePath = "path/to/image.jpeg", BaseUrl = "https://cdn.pixelbin.io",
            Transformations = [T("t", "resize", ("h", "100"), ("w", "200")), T("t", "flip")],
        };
        Assert.Equal("https://cdn.pixelbin.io/v2/demo/z-slug/t.resize(h:100,w:200)~t.flip()/path/to/image.jpeg", PixelbinUrls.ObjToUrl(obj));
    }

    [Fact]
    public void NoTransformations_IsOriginal()
    {
        Assert.Equal("https://cdn.pixelbin.io/v2/demo/original/a.jpg", PixelbinUrls.ObjToUrl(new() { CloudName = "demo", FilePath = "a.jpg" }));
        Assert.Equal("https://cdn.pixelbin.io/v2/demo/original/a.jpg", PixelbinUrls.ObjToUrl(new() { CloudName = "demo", FilePath = "a.jpg", Transformations = null! }));
    }

    public static TheoryData<string?, string?, PixelbinTransformation[], PixelbinUrlOptions, string> Rows => new()
    {
        // The SDK's row has zone "abc" too, which it drops; here it is refused (ZoneThatIsNotASlug_IsRefused).
        { "v3", null, [T("p", "preset1")], new(), "https://cdn.pixelbin.io/v2/demo/p:preset1/a.jpg" },
        { null, "", [], new(), "https://cdn.pixelbin.io/v2/demo/original/a.jpg" },
        { null, null, [T("p", "preset1", ("a", "100"))], new() { Dpr = 2.5, FAuto = true }, "https://cdn.pixelbin.io/v2/demo/p:preset1(a:100)/a.jpg?dpr=2.5&f_auto=true" },
        { null, null, [T("erase", "bg")], new() { Dpr = PixelbinDpr.Auto }, "https://cdn.pixelbin.io/v2/demo/erase.bg()/a.jpg?dpr=auto" },
        { null, null, [], new() { Dpr = PixelbinDpr.Parse("2"), FAuto = false }, "https://cdn.pixelbin.io/v2/demo/original/a.jpg?dpr=2" },
        { "v1", null, [], new(), "https://cdn.pixelbin.io/v1/demo/original/a.jpg" },
        { null, null, [T("p", "apply", ("n", "thumb"))], new(), "https://cdn.pixelbin.io/v2/demo/p.apply(n:thumb)/a.jpg" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Rows_MatchTheSdk(string? version, string? zone, PixelbinTransformation[] transformations, PixelbinUrlOptions options, string expected)
    {
        var obj = new PixelbinUrlObject { CloudName = "demo", Version = version, Zone = zone, Transformations = transformations, Options = options, FilePath = "a.jpg" };
        Assert.Equal(expected, PixelbinUrls.ObjToUrl(obj));
    }

    [Fact]
    public void Worker()
    {
        var obj = new PixelbinUrlObject { CloudName = "demo", Worker = true, WorkerPath = "resize:h100,w:200/folder/image.jpeg", Zone = "z-slug" };
        Assert.Equal("https://cdn.pixelbin.io/v2/demo/z-slug/wrkr/resize:h100,w:200/folder/image.jpeg", PixelbinUrls.ObjToUrl(obj));
    }

    [Fact]
    public void CustomDomain()
    {
        var obj = new PixelbinUrlObject { IsCustomDomain = true, BaseUrl = "https://xyz.designify.media", Zone = "z-slug", Transformations = [T("t", "flip")], FilePath = "a.jpg" };
        Assert.Equal("https://xyz.designify.media/v2/z-slug/t.flip()/a.jpg", PixelbinUrls.ObjToUrl(obj));
    }

    [Theory]
    [InlineData("")]
    [InlineData("?w=300")]
    public void WorkerWithEmptyPath_IsRefused_ThoughTheSdkWritesIt(string workerPath)
    {
        // Spec §6.4: the SDK writes https://xyz.designify.media/v2/wrkr, which the server answers 400 (no worker path).
        var obj = new PixelbinUrlObject { IsCustomDomain = true, BaseUrl = "https://xyz.designify.media", Worker = true, WorkerPath = workerPath };

        var error = Assert.Throws<PixelbinUrlException>(() => PixelbinUrls.ObjToUrl(obj));
        Assert.Equal(
            (PixelbinErrorKind.IllegalArgument, $"key workerPath '{workerPath}' is not one the server accepts: the server needs a path after wrkr/ to translate, e.g. images/logo.png"),
            (error.Kind, error.Message));
        Assert.Throws<PixelbinUrlException>(() => new PixelbinImage("demo", workerPath, worker: true).GetUrl());
    }

    [Theory]
    [InlineData("abc")] // the SDK drops it: the URL would name the default zone's file
    [InlineData("abcdefgh")] // the SDK writes it: the server reads it as the pattern and refuses the URL
    [InlineData("z/slug")]
    [InlineData("z slug")]
    [InlineData("zslüg1")]
    public void ZoneThatIsNotASlug_IsRefused(string zone)
    {
        var error = Assert.Throws<PixelbinUrlException>(() => PixelbinUrls.ObjToUrl(new PixelbinUrlObject { CloudName = "demo", Zone = zone, FilePath = "a.jpg" }));

        Assert.Equal(
            (PixelbinErrorKind.IllegalArgument, $"key zone '{zone}' is not one the server accepts: a zone slug is exactly 6 letters, digits, '-' or '_', e.g. z-slug"),
            (error.Kind, error.Message));
        Assert.IsAssignableFrom<ArgumentException>(error);
        Assert.Throws<PixelbinUrlException>(() => new PixelbinImage("demo", "a.jpg", zone: zone).GetUrl());
    }

    [Theory]
    [InlineData("cdn.example.com", "it must be an absolute http or https URL, e.g. https://cdn.example.com (a path prefix is allowed)")]
    [InlineData("ftp://cdn.example.com", "it must be an absolute http or https URL, e.g. https://cdn.example.com (a path prefix is allowed)")]
    [InlineData("https://cdn.example.com /x", "it must be an absolute http or https URL, e.g. https://cdn.example.com (a path prefix is allowed)")]
    [InlineData("https://cdn.example.com/?a=1", "a query or fragment ('?…' or '#…') would swallow the path written after it")]
    [InlineData("https://cdn.example.com#top", "a query or fragment ('?…' or '#…') would swallow the path written after it")]
    [InlineData("https://evil.example@cdn.example.com", "a user name or password (user@host) would be written into the URL")]
    public void BaseUrlThatWouldNotStartTheUrl_IsRefused(string baseUrl, string reason)
    {
        var error = Assert.Throws<PixelbinUrlException>(() => PixelbinUrls.ObjToUrl(new PixelbinUrlObject { BaseUrl = baseUrl, CloudName = "demo", FilePath = "a.jpg" }));

        Assert.Equal((PixelbinErrorKind.IllegalArgument, $"key baseUrl '{baseUrl}' is not one the server accepts: {reason}"), (error.Kind, error.Message));
        Assert.Throws<PixelbinUrlException>(() => new PixelbinImage("demo", "a.jpg", baseUrl: baseUrl).GetUrl());
    }

    [Theory]
    [InlineData("https://cdn.example.com/", "https://cdn.example.com/v2/demo/original/a.jpg")]
    [InlineData("http://127.0.0.1:9300/images/", "http://127.0.0.1:9300/images/v2/demo/original/a.jpg")]
    [InlineData("", "https://cdn.pixelbin.io/v2/demo/original/a.jpg")]
    public void BaseUrl_WithAPathPrefixOrNone_IsWrittenBeforeThePath(string baseUrl, string expected) =>
        Assert.Equal(expected, PixelbinUrls.ObjToUrl(new PixelbinUrlObject { BaseUrl = baseUrl, CloudName = "demo", FilePath = "a.jpg" }));

    [Fact]
    public void RoundTrip_ParsedObjectBuildsTheSameUrl()
    {
        const string url = "https://cdn.pixelbin.io/v2/demo/z-slug/t.resize(h:600,w:800)~p:preset1(a:1)/a/b.jpg?dpr=2.5&f_auto=true";
        Assert.Equal(url, PixelbinUrls.ObjToUrl(PixelbinUrls.UrlToObj(url)));
    }

    public static TheoryData<PixelbinUrlObject, string> Errors => new()
    {
        { new() { CloudName = "demo", FilePath = "a.jpg", Options = new() { Dpr = 7 } }, "DPR value should be numeric and should be between 0.1 to 5.0" },
        { new() { CloudName = "demo", FilePath = "a.jpg", Transformations = [T("t", "resize", ("h", ""))] }, "value not specified for key 'h' in 'resize'" },
        { new() { CloudName = "demo", FilePath = "a.jpg", Transformations = [T("t", "resize", ("h", null))] }, "value not specified for key 'h' in 'resize'" },
        { new() { CloudName = "demo", FilePath = "a.jpg", Transformations = [T("t", "resize", ("", "1"))] }, "key not specified in 'resize'" },
        { new() { FilePath = "a.jpg" }, "key cloudName should be defined" },
        { new() { IsCustomDomain = true, CloudName = "demo", FilePath = "a.jpg" }, "key cloudName is not valid for custom domains" },
        { new() { CloudName = "demo" }, "key filePath should be defined" },
        { new() { CloudName = "demo", Worker = true }, "key workerPath should be a defined" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Errors_UseTheSdkMessages(PixelbinUrlObject obj, string message)
    {
        var e = Assert.Throws<PixelbinUrlException>(() => PixelbinUrls.ObjToUrl(obj));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void FAutoAsString_IsRejectedWhenReadFromJson()
    {
        const string json = """{"cloudName":"demo","filePath":"a.jpg","options":{"f_auto":"true"}}""";
        var e = Assert.Throws<PixelbinUrlException>(() => JsonSerializer.Deserialize<PixelbinUrlObject>(json));
        Assert.Equal("F_auto value should be boolean", e.Message);
    }

    [Fact]
    public void ObjectReadFromSdkJson_Builds()
    {
        const string json = """{"cloudName":"demo","filePath":"a.jpg","options":{"dpr":"2","f_auto":false},"transformations":[{"plugin":"t","name":"resize","values":[{"key":"w","value":"1"}]}]}""";
        var obj = JsonSerializer.Deserialize<PixelbinUrlObject>(json)!;
        Assert.Equal("https://cdn.pixelbin.io/v2/demo/t.resize(w:1)/a.jpg?dpr=2", PixelbinUrls.ObjToUrl(obj));
    }
}
