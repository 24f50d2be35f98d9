using System.Text.Json;
using CdnProxy.Urls.Client;

namespace CdnProxy.Urls.Tests.Client;

/// <summary>Spec §6.1–§6.3: the SDK's <c>urlToObj</c> vectors.</summary>
public class UrlToObjTests
{
    private const string Host = "https://cdn.pixelbin.io";

    private static PixelbinUrlObject Parse(string path) => PixelbinUrls.UrlToObj(Host + path);

    private static string Values(PixelbinTransformation t) =>
        t.Values is null ? "<none>" : string.Join(",", t.Values.Select(v => v.Value is null ? v.Key + "=<undefined>" : v.Key + "=" + v.Value));

    private static string Ops(PixelbinUrlObject obj) =>
        string.Join(" ", obj.Transformations.Select(t => $"{t.Plugin}.{t.Name}[{Values(t)}]"));

    [Fact]
    public void U1_Original()
    {
        var obj = Parse("/v2/broken-butterfly-3b12f1/original/W2.jpeg");
        Assert.Equal(("broken-butterfly-3b12f1", null, "v2"), (obj.CloudName, obj.Zone, obj.Version));
        Assert.Equal(("original", "W2.jpeg", false, ""), (obj.Pattern, obj.FilePath, obj.Worker, obj.WorkerPath));
        Assert.Null(obj.Options.Dpr);
        Assert.Null(obj.Options.FAuto);
        Assert.Empty(obj.Transformations);
        Assert.Equal(Host, obj.BaseUrl);
    }

    /// <summary>
    /// The SDK parses with the WHATWG URL parser, so raw spaces and non-ASCII letters come back percent-encoded, and
    /// existing escapes are kept (values printed by <c>@pixelbin/admin</c>'s <c>urlToObj</c>, issue 12).
    /// </summary>
    [Theory]
    [InlineData("/v2/demo/original/x/y z.png", "x/y%20z.png")]
    [InlineData("/v2/demo/original/deep/ü/straße.webp", "deep/%C3%BC/stra%C3%9Fe.webp")]
    [InlineData("/v2/demo/original/deep/%C3%BC/stra%C3%9Fe.webp", "deep/%C3%BC/stra%C3%9Fe.webp")]
    [InlineData("/v2/demo/t.resize(w:300)/a b/c\"d.jpg", "a%20b/c%22d.jpg")]
    public void RawCharactersInThePath_ArePercentEncodedLikeTheSdk(string path, string filePath)
    {
        Assert.Equal(filePath, Parse(path).FilePath);
    }

    [Fact]
    public void U2_FullJson_MatchesSdkExactly()
    {
        var obj = Parse("/v2/broken-butterfly-3b12f1/z-slug/t.resize(h:600,w:800)/W2.jpeg");
        Assert.Equal(
            """{"baseUrl":"https://cdn.pixelbin.io","filePath":"W2.jpeg","pattern":"t.resize(h:600,w:800)","version":"v2","zone":"z-slug","cloudName":"broken-butterfly-3b12f1","worker":false,"workerPath":"","options":{},"transformations":[{"name":"resize","plugin":"t","values":[{"key":"h","value":"600"},{"key":"w","value":"800"}]}]}""",
            JsonSerializer.Serialize(obj));
    }

    [Theory]
    [InlineData("/v2/broken-butterfly-3b12f1/t.resize(h:600,w:800)~t.rotate(a:-249)~t.flip()~t.trim(t:217)/W2.jpeg", "t.resize[h=600,w=800] t.rotate[a=-249] t.flip[<none>] t.trim[t=217]")] // U3
    [InlineData("/v2/broken-butterfly-3b12f1/t.resize(h:200,w:100)~p:preset1(a:100,b:2.1,c:test)/W2.jpeg", "t.resize[h=200,w=100] p.preset1[a=100,b=2.1,c=test]")] // U4
    [InlineData("/v2/broken-butterfly-3b12f1/t.resize(h:200,w:100)~p:preset1/W2.jpeg", "t.resize[h=200,w=100] p.preset1[<none>]")] // U5
    [InlineData("/v2/broken-butterfly-3b12f1/t.resize(h:200,w:100)~p:preset1()/W2.jpeg", "t.resize[h=200,w=100] p.preset1[<none>]")] // U5
    [InlineData("/v2/broken-butterfly-3b12f1/t.resize(h:200,w:100)~p:preset1(a:12/W2.jpeg", "t.resize[h=200,w=100] p.preset1[a=12]")] // U6
    [InlineData("/v2/feel/erase.bg()/MZZKB3e1hT48o0NYJ2Kxh.jpeg?dpr=auto", "erase.bg[<none>]")] // U8
    [InlineData("/v2/demo/p.apply(n:mypreset,w:200)/img.jpg", "p.apply[n=mypreset,w=200]")] // U14
    [InlineData("/v2/demo/t.merge(m:overlay,i:logos__pb.png,tr:t.resize(w:100)~t.flip())/img.jpg", "t.merge[m=overlay,i=logos__pb.png,tr=t.resize] t.flip[)=<undefined>]")] // U16
    [InlineData("/v2/demo/t.resize(w:1:2)/img.jpg", "t.resize[w=1]")] // U19
    [InlineData("/v2/demo/t.resize(w:1,w:2)/img.jpg", "t.resize[w=2]")] // U20
    [InlineData("/v2/demo/t.resize()/img.jpg", "t.resize[<none>]")] // U21
    [InlineData("/v2/demo/t.resize(w:100,h:100)~t.extract(bbox:10_20_30_40)/img.jpg", "t.resize[w=100,h=100] t.extract[bbox=10_20_30_40]")] // U23
    public void Transformations_AreReadLikeTheSdk(string path, string expected)
    {
        Assert.Equal(expected, Ops(Parse(path)));
    }

    [Fact]
    public void U5_PresetWithoutValues_HasNoValuesKey()
    {
        var json = JsonSerializer.Serialize(Parse("/v2/demo/p:preset1()/W2.jpeg").Transformations);
        Assert.Equal("""[{"name":"preset1","plugin":"p"}]""", json);
    }

    [Fact]
    public void U7_OptionsAndPluginsAreRead()
    {
        var obj = Parse("/v2/feel/erase.bg(shadow:true)~t.merge(m:underlay,i:eU44YkFJOHlVMmZrWVRDOUNTRm1D,b:screen,r:true)/MZZKB3e1hT48o0NYJ2Kxh.jpeg?dpr=2.0&f_auto=true");
        Assert.Equal("feel", obj.CloudName);
        Assert.Equal("MZZKB3e1hT48o0NYJ2Kxh.jpeg", obj.FilePath);
        Assert.Equal("erase.bg[shadow=true] t.merge[m=underlay,i=eU44YkFJOHlVMmZrWVRDOUNTRm1D,b=screen,r=true]", Ops(obj));
        Assert.Equal("""{"dpr":2,"f_auto":true}""", JsonSerializer.Serialize(obj.Options));
    }

    [Theory]
    [InlineData("/v2/feel/erase.bg()/MZZKB3e1hT48o0NYJ2Kxh.jpeg?dpr=auto", """{"dpr":"auto"}""")] // U8
    [InlineData("/v2/feel/erase.bg()/asbc.jpeg?f_auto=false", """{"f_auto":false}""")] // U9
    [InlineData("/v2/broken-butterfly-3b12f1/abcdef/wrkr/resize:w200,h200/image.jpeg?dpr=1.0", """{"dpr":1}""")] // U10
    [InlineData("/v2/demo/t.resize(w:100)/img.jpg?f_auto=yes&other=1", """{"f_auto":false}""")] // U18
    [InlineData("/v2/demo/original/img.jpg?dpr=auto&dpr=3", """{"dpr":3}""")] // U22
    [InlineData("/v2/demo/original/img.jpg?f_auto=TRUE", """{"f_auto":true}""")]
    [InlineData("/v2/demo/original/img.jpg?f_auto=", """{"f_auto":false}""")]
    [InlineData("/v2/demo/original/img.jpg?dpr=0.1&f_auto=true&f_auto=no", """{"dpr":0.1,"f_auto":false}""")]
    [InlineData("/v2/demo/original/img.jpg?dpr=5", """{"dpr":5}""")]
    [InlineData("/v2/demo/original/img.jpg?dpr=2.5", """{"dpr":2.5}""")]
    public void Options_AreReadLikeTheSdk(string path, string expectedJson)
    {
        Assert.Equal(expectedJson, JsonSerializer.Serialize(Parse(path).Options));
    }

    [Fact]
    public void U10_ZoneWorker()
    {
        var obj = Parse("/v2/broken-butterfly-3b12f1/abcdef/wrkr/resize:w200,h200/image.jpeg?dpr=1.0");
        Assert.Equal(("broken-butterfly-3b12f1", "abcdef", "v2"), (obj.CloudName, obj.Zone, obj.Version));
        Assert.Equal(("", "", true, "resize:w200,h200/image.jpeg"), (obj.Pattern, obj.FilePath, obj.Worker, obj.WorkerPath));
        Assert.Equal(1.0, obj.Options.Dpr?.Value);
        Assert.Empty(obj.Transformations);
    }

    [Fact]
    public void U11_WorkerWithoutZone()
    {
        var obj = Parse("/v2/broken-butterfly-3b12f1/wrkr/image.jpeg");
        Assert.True(obj.Worker);
        Assert.Equal("image.jpeg", obj.WorkerPath);
        Assert.Null(obj.Zone);
        Assert.Equal("broken-butterfly-3b12f1", obj.CloudName);
    }

    [Fact]
    public void U12_V1_DeepFilePath()
    {
        var obj = Parse("/v1/demo/t.resize(w:100)/a/b/c.png");
        Assert.Equal(("v1", "demo", "a/b/c.png", "t.resize(w:100)"), (obj.Version, obj.CloudName, obj.FilePath, obj.Pattern));
    }

    [Fact]
    public void U13_NoVersion_IsReportedAsV1()
    {
        var obj = Parse("/demo/t.resize(w:100)/a/b/c.png");
        Assert.Equal(("v1", "demo", "a/b/c.png"), (obj.Version, obj.CloudName, obj.FilePath));
    }

    [Fact]
    public void U15_SixCharacterSegment_IsTakenAsZone()
    {
        var obj = Parse("/v2/demo/folder/original/x.jpg");
        Assert.Equal(("folder", "original", "x.jpg"), (obj.Zone, obj.Pattern, obj.FilePath));
    }

    [Fact]
    public void U16_UndefinedValue_IsOmittedInJson()
    {
        var obj = Parse("/v2/demo/t.merge(m:overlay,i:logos__pb.png,tr:t.resize(w:100)~t.flip())/img.jpg");
        Assert.Equal("""{"name":"flip","plugin":"t","values":[{"key":")"}]}""", JsonSerializer.Serialize(obj.Transformations[1]));
    }

    [Fact]
    public void U17_FilePath_StaysEscaped()
    {
        Assert.Equal("folder/sub%20dir/img%20x.jpg", Parse("/v2/demo/original/folder/sub%20dir/img%20x.jpg").FilePath);
    }

    [Fact]
    public void CustomDomain_ZoneAndPattern()
    {
        var obj = PixelbinUrls.UrlToObj("https://cdn.twist.vision/v2/z-slug/t.resize(h:600,w:800)/W2.jpeg", isCustomDomain: true);
        Assert.Equal(("z-slug", null, "t.resize(h:600,w:800)", "W2.jpeg"), (obj.Zone, obj.CloudName, obj.Pattern, obj.FilePath));
        Assert.Equal("https://cdn.twist.vision", obj.BaseUrl);
        Assert.DoesNotContain("cloudName", JsonSerializer.Serialize(obj), StringComparison.Ordinal);
    }

    [Fact]
    public void CustomDomain_DeeperWrkrSegment_IsPartOfThePath()
    {
        var obj = PixelbinUrls.UrlToObj("https://cdn.twist.vision/v2/original/z0/orgs/33/wrkr/icons/Fynd_Platform_Commerce_Extension.png", isCustomDomain: true);
        Assert.Equal(("original", "z0/orgs/33/wrkr/icons/Fynd_Platform_Commerce_Extension.png", false, null), (obj.Pattern, obj.FilePath, obj.Worker, obj.Zone));
    }

    [Fact]
    public void CustomDomain_ZoneWorker()
    {
        var obj = PixelbinUrls.UrlToObj("https://cdn.twist.vision/v2/abcdef/wrkr/resize:w200,h200/image.jpeg?dpr=1.0", isCustomDomain: true);
        Assert.Equal(("abcdef", true, "resize:w200,h200/image.jpeg", 1.0), (obj.Zone, obj.Worker, obj.WorkerPath, obj.Options.Dpr?.Value));
    }

    [Fact]
    public void CustomDomain_ParsedWithoutTheFlag_TakesZoneAsCloud()
    {
        var obj = PixelbinUrls.UrlToObj("https://xyz.designify.media/v2/z-slug/t.resize(h:600,w:800)/W2.jpeg");
        Assert.Equal("z-slug", obj.CloudName);
        Assert.Null(obj.Zone);
    }

    [Theory]
    [InlineData("https://cdn.pixelbin.io/v2/ab/original/img.jpg", false)]
    [InlineData("https://cdn.pixelbin.io/v2/demo/img.jpg", false)]
    [InlineData("https://cdn.pixelbin.io/v3/demo/original/img.jpg", false)]
    [InlineData("https://cdn.pixelbin.io/", false)]
    [InlineData("/v2/demo/original/img.jpg", false)]
    [InlineData("https://cdn.twist.vision/t.resize(h:600)/W2.jpeg", true)]
    [InlineData("https://cdn.twist.vision/v2/img.jpeg", true)]
    [InlineData("https://cdn.twist.vision/v2", true)]
    public void InvalidShapes_AreRejected(string url, bool custom)
    {
        var e = Assert.Throws<PixelbinUrlException>(() => PixelbinUrls.UrlToObj(url, custom));
        Assert.Equal(PixelbinUrlException.InvalidUrlMessage, e.Message);
        Assert.Equal(PixelbinErrorKind.InvalidUrl, e.Kind);
    }

    [Theory]
    [InlineData("/v2/demo/t.flip/img.jpg")]
    [InlineData("/v2/demo/t.resize(h:100)~/img.jpg")]
    [InlineData("/v2/demo/abcdef/img.jpg")]
    [InlineData("/v2/demo/p:/img.jpg")]
    public void UnreadablePatterns_AreRejected(string path)
    {
        var e = Assert.Throws<PixelbinUrlException>(() => Parse(path));
        Assert.Equal(PixelbinUrlException.ProcessingErrorMessage, e.Message);
        Assert.Equal(PixelbinErrorKind.InvalidUrl, e.Kind);
    }

    [Theory]
    [InlineData("?dpr=abc")]
    [InlineData("?dpr=6")]
    [InlineData("?dpr=0.05")]
    [InlineData("?dpr=")]
    [InlineData("?dpr")]
    public void BadDpr_IsRejected(string query)
    {
        var e = Assert.Throws<PixelbinUrlException>(() => Parse("/v2/demo/original/img.jpg" + query));
        Assert.Equal(PixelbinUrlException.DprMessage, e.Message);
        Assert.Equal(PixelbinErrorKind.IllegalQueryParameter, e.Kind);
    }

    [Fact]
    public void BareFAuto_IsRejectedWithAClearError()
    {
        var e = Assert.Throws<PixelbinUrlException>(() => Parse("/v2/demo/original/img.jpg?f_auto"));
        Assert.Equal(PixelbinErrorKind.IllegalQueryParameter, e.Kind);
        Assert.Contains("f_auto", e.Message, StringComparison.Ordinal);
    }
}
