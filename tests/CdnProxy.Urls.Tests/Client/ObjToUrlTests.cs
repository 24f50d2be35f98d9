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
        { "v3", "abc", [T("p", "preset1")], new(), "https://cdn.pixelbin.io/v2/demo/p:preset1/a.jpg" },
        { null, null, [T("p", "preset1", ("a", "100"))], new() { Dpr = 2.5, FAuto = true }, "https://cdn.pixelbin.io/v2/demo/p:preset1(a:100)/a.jpg?dpr=2.5&f_auto=true" },
        { null, null, [T("erase", "bg")], new() { Dpr = PixelbinDpr.Auto }, "https://cdn.pixelbin.io/v2/demo/erase.bg()/a.jpg?dpr=auto" },
        { null, null, [], new() { Dpr = PixelbinDpr.Parse("2"), FAuto = false }, "https://cdn.pixelbin.io/v2/demo/original/a.jpg?dpr=2" },
        { "v1", null, [], new(), "https://cdn.pixelbin.io/v1/demo/original/a.jpg" },
        { null, "abcdefgh", [], new(), "https://cdn.pixelbin.io/v2/demo/abcdefgh/original/a.jpg" },
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

    [Fact]
    public void CustomDomainWorker_WithEmptyPath()
    {
        var obj = new PixelbinUrlObject { IsCustomDomain = true, BaseUrl = "https://xyz.designify.media", Worker = true, WorkerPath = "" };
        Assert.Equal("https://xyz.designify.media/v2/wrkr", PixelbinUrls.ObjToUrl(obj));
    }

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
