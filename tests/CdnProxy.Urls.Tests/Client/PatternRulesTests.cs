using System.Text;
using CdnProxy.Urls.Client;
using CdnProxy.Urls.Grammar;
using CdnProxy.Urls.Paths;

namespace CdnProxy.Urls.Tests.Client;

/// <summary>
/// The builders refuse, when building, a URL the server would refuse before reading the image: too many calls, a
/// pattern or path too long, an unknown operation or argument, a value out of range. ObjToUrl keeps the SDK's
/// acceptance of any operation unless given a server's rules.
/// </summary>
public class PatternRulesTests
{
    private static Transformation Chain(int calls) =>
        Enumerable.Range(0, calls - 1).Aggregate(Basic.Flip(), (chain, _) => chain.Pipe(Basic.Flop()));

    private static string Refusal(Transformation transformation) =>
        Assert.Throws<PixelbinUrlException>(() => new PixelbinImage("demo", "a.jpg", baseUrl: CdnProxyServer) { Transformation = transformation }.GetUrl()).Message;

    private const string CdnProxyServer = "https://cdn.example.com";

    private static PixelbinUrlObject Object(params PixelbinTransformation[] transformations) =>
        new() { CloudName = "demo", FilePath = "a.jpg", Transformations = transformations };

    [Fact]
    public void BuildingAgainWithTheSamePattern_DoesNotReadItAgain()
    {
        // Backends build many URLs with a few patterns: reading one with the grammar allocated about 20 KB a URL.
        var transformation = Basic.Resize(width: 300, height: 200, fit: "contain").Pipe(Basic.Flip()).Pipe(Basic.ToFormat(format: "webp", quality: "80"));
        var first = new PixelbinImage("demo", "a.jpg") { Transformation = transformation }.GetUrl();

        var before = GC.GetAllocatedBytesForCurrentThread();
        var again = new PixelbinImage("demo", "b.jpg") { Transformation = transformation }.GetUrl();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(first[..^"a.jpg".Length] + "b.jpg", again);
        Assert.True(allocated < 8_000, $"{allocated} bytes allocated for a URL whose pattern was checked before");
        Assert.Contains("'w' must be an integer", Refusal(Basic.Resize(width: -1)), StringComparison.Ordinal);
        Assert.Contains("'w' must be an integer", Refusal(Basic.Resize(width: -1)), StringComparison.Ordinal); // remembered refusals too
    }

    [Fact]
    public void MoreCallsThanTheServerAccepts_AreRefusedByEveryBuilder()
    {
        var limit = PatternLimits.Default.MaxCalls;
        Assert.EndsWith("/a.jpg", new PixelbinImage("demo", "a.jpg") { Transformation = Chain(limit) }.GetUrl());

        Assert.EndsWith($"would be refused by the server: Pattern has more than {limit} transformations.", Refusal(Chain(limit + 1)));
        var error = Assert.Throws<PixelbinUrlException>(() => PixelbinUrls.ObjToUrl(Object([.. Chain(limit + 1).Steps])));
        Assert.Equal(PixelbinErrorKind.IllegalArgument, error.Kind);
        Assert.Contains($"more than {limit} transformations", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PatternLongerThanTheServerReads_IsRefused()
    {
        var longValue = new string('a', PatternLimits.Default.MaxLength);
        var error = Assert.Throws<PixelbinUrlException>(() => PixelbinUrls.ObjToUrl(Object(new PixelbinTransformation("t", "merge", [new("i", longValue)]))));

        Assert.Contains($"Pattern is longer than {PatternLimits.Default.MaxLength} characters.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PathLongerThanTheServerReads_IsRefused_EvenWhenEachPartIsAcceptable()
    {
        var cloud = new string('c', CdnUrlSplitter.MaxCloudLength);
        var workerPath = new string('w', CdnUrlSplitter.MaxPathLength - 20);

        var error = Assert.Throws<PixelbinUrlException>(() => new PixelbinImage(cloud, workerPath, worker: true).GetUrl());

        Assert.Contains($"the server reads at most {CdnUrlSplitter.MaxPathLength}", error.Message, StringComparison.Ordinal);
        Assert.Throws<PixelbinUrlException>(() => PixelbinUrls.ObjToUrl(new() { CloudName = cloud, Worker = true, WorkerPath = workerPath }));
    }

    [Theory]
    [InlineData("t", "resize", "w", "100001", "t.resize: 'w' must be an integer from 0 to 100000")]
    [InlineData("t", "resize", "dpr", "6", "t.resize: 'dpr' must be a number from 0.1 to 5")]
    [InlineData("t", "resize", "f", "covr", "t.resize: 'f' must be one of cover, contain, fill, inside, outside")]
    [InlineData("t", "resize", "b", "red", "t.resize: 'b' must be a colour RRGGBB or RRGGBBAA")]
    [InlineData("t", "resize", "x", "1", "t.resize has no argument 'x'")]
    [InlineData("t", "merge", "r", "yes", "t.merge: 'r' must be true or false")]
    [InlineData("t", "extract", "bbox", "1_2_-3_4", "t.extract: 'bbox' must be a bounding box top_left_height_width (height and width not negative)")]
    [InlineData("t", "toFormat", "q", "superb", "t.toFormat: 'q' must be a quality from")]
    [InlineData("t", "resise", null, null, "the server has no operation 't.resise'")]
    [InlineData("erase", "bg", null, null, "the server has no operation 'erase.bg'")]
    public void OperationsTheServerRefuses_AreRefusedByTheImageBuilder(string plugin, string name, string? key, string? value, string reason)
    {
        var step = key is null ? Transformation.Custom(plugin, name) : Transformation.Custom(plugin, name, new KeyValuePair<string, string?>(key, value));

        Assert.Contains(reason, Refusal(step), StringComparison.Ordinal);
        var withRules = Assert.Throws<PixelbinUrlException>(() => PixelbinUrls.ObjToUrl(Object([.. step.Steps]), PatternRules.CdnProxyDefaults));
        Assert.Contains(reason, withRules.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForPixelbinsOwnCdn_OperationsCdnProxyDoesNotServe_AreBuilt_ItsOwnAreStillChecked()
    {
        // The SDK's default base URL is Pixelbin's CDN, which serves erase.bg, sr.upscale and more.
        Assert.Equal("https://cdn.pixelbin.io/v2/demo/erase.bg()/a.jpg", new PixelbinImage("demo", "a.jpg") { Transformation = Transformation.Custom("erase", "bg") }.GetUrl());
        Assert.EndsWith("/sr.upscale()/a.jpg", new PixelbinImage("demo", "a.jpg", baseUrl: "https://eu.pixelbin.io") { Transformation = Transformation.Custom("sr", "upscale") }.GetUrl(), StringComparison.Ordinal);
        Assert.Contains(
            "t.resize: 'w' must be an integer from 0 to 100000",
            Assert.Throws<PixelbinUrlException>(() => new PixelbinImage("demo", "a.jpg") { Transformation = Transformation.Custom("t", "resize", new KeyValuePair<string, string?>("w", "100001")) }.GetUrl()).Message,
            StringComparison.Ordinal);
        Assert.Contains("the server has no operation 'erase.bg'", Refusal(Transformation.Custom("erase", "bg")), StringComparison.Ordinal);
        Assert.Same(PatternRules.CdnProxyDefaults, PatternRules.ForBaseUrl("https://pixelbin.io.example.com"));
    }

    [Fact]
    public void ObjToUrl_KeepsTheSdksAcceptanceOfAnyOperation_UnlessGivenTheServersRules()
    {
        // Spec §6.4: the SDK writes any operation and any argument; the URL may be meant for Pixelbin itself.
        Assert.Equal("https://cdn.pixelbin.io/v2/demo/erase.bg()/a.jpg", PixelbinUrls.ObjToUrl(Object(new PixelbinTransformation("erase", "bg"))));
        Assert.Equal("https://cdn.pixelbin.io/v2/demo/t.resize(w:100001)/a.jpg", PixelbinUrls.ObjToUrl(Object(new PixelbinTransformation("t", "resize", [new("w", "100001")]))));
        Assert.Throws<PixelbinUrlException>(() => PixelbinUrls.ObjToUrl(Object(new PixelbinTransformation("erase", "bg")), PatternRules.CdnProxyDefaults));
    }

    [Theory]
    [InlineData("t.resize(w:300,f:Cover,k:LANCZOS3)")] // tokens in any case, as the server reads them
    [InlineData("t.toFormat(f:jpg,q:Good)")] // an alias and a named quality
    [InlineData("t.rotate(a:-450,b:FF000080)")]
    [InlineData("p:thumb(w:300)~p.apply(n:thumb)")] // presets are the server's configuration: shape only
    [InlineData("t.extract(bbox:10_20_30_40)~t.merge(m:wrap,bboxes:[[10_10_100_100]_[200_20_100_100]],r:1)")]
    public void ValuesTheServerReads_AreBuilt(string pattern)
    {
        var url = PixelbinUrls.ObjToUrl(Object([.. PixelbinUrls.PatternToTransformations(pattern)]), PatternRules.CdnProxyDefaults);

        Assert.Equal($"https://cdn.pixelbin.io/v2/demo/{pattern}/a.jpg", url);
    }

    [Theory]
    [InlineData("t.flip()", null)]
    [InlineData("t.resize(w:100)~t.flip()", null)]
    [InlineData("t.toFormat(f:png)", "t.toFormat sets the format or quality of the whole result")]
    [InlineData("t.resize(w:-1)", "t.resize: 'w' must be an integer from 0 to 100000")]
    [InlineData("t.blurr()", "the server has no operation 't.blurr'")]
    [InlineData("p:thumb", "the nested pattern may not use presets")]
    public void NestedPatterns_AreCheckedStepByStep(string nested, string? reason)
    {
        var tr = Convert.ToBase64String(Encoding.UTF8.GetBytes(nested)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var merge = Basic.Merge(image: "YS5qcGc", transformation: tr);

        if (reason is null)
        {
            Assert.Contains("tr:" + tr, new PixelbinImage("demo", "a.jpg") { Transformation = merge }.GetUrl(), StringComparison.Ordinal);
        }
        else
        {
            var refusal = Refusal(merge);
            Assert.True(refusal.Contains(reason, StringComparison.Ordinal), refusal);
        }
    }

    [Fact]
    public void FileIds_AreCheckedAsTheServerChecksFilePaths()
    {
        var parent = Convert.ToBase64String(Encoding.UTF8.GetBytes("../secret"));

        Assert.Contains("t.merge: 'i' must be a base64 file id", Refusal(Basic.Merge(image: parent)), StringComparison.Ordinal);
    }

    [Fact]
    public void EveryBasicBuilderDefault_IsAPatternTheServerServes()
    {
        Transformation[] defaults =
        [
            Basic.Resize(), Basic.Compress(), Basic.Extend(), Basic.Extract(), Basic.Trim(), Basic.Rotate(), Basic.Flip(), Basic.Flop(),
            Basic.Sharpen(), Basic.Median(), Basic.Blur(), Basic.Flatten(), Basic.Negate(), Basic.Normalise(), Basic.Linear(),
            Basic.Modulate(), Basic.Grey(), Basic.Tint(), Basic.ToFormat(), Basic.Density(), Basic.Merge(),
        ];

        foreach (var step in defaults)
        {
            Assert.EndsWith("/a.jpg", new PixelbinImage("demo", "a.jpg") { Transformation = step }.GetUrl());
        }
    }

    [Fact]
    public void RulesFromAServersCatalogue_ApplyItsLimits()
    {
        const string Catalog = """{"limits":{"maxCalls":2,"maxPatternLength":100},"operations":[{"name":"t.flip","arguments":[]}]}""";
        var rules = PatternRules.FromCatalog(Catalog);

        Assert.Equal("https://cdn.pixelbin.io/v2/demo/t.flip()~t.flip()/a.jpg", new PixelbinImage("demo", "a.jpg") { Rules = rules, Transformation = Basic.Flip().Pipe(Basic.Flip()) }.GetUrl());
        Assert.Throws<PixelbinUrlException>(() => new PixelbinImage("demo", "a.jpg") { Rules = rules, Transformation = Chain(3) }.GetUrl());
        Assert.Throws<FormatException>(() => PatternRules.FromCatalog("""{"operations":[]}"""));
        Assert.Throws<FormatException>(() => PatternRules.FromCatalog("""{"limits":{"maxCalls":2,"maxPatternLength":100},"operations":[{"name":null,"arguments":[]}]}"""));
        Assert.Throws<FormatException>(() => PatternRules.FromCatalog("""{"limits":{"maxCalls":2.5,"maxPatternLength":100},"operations":[]}"""));
    }

    [Fact]
    public void SharedRules_CannotBeChangedThroughTheirLimits()
    {
        // PatternLimits is settable (configuration binds into it): a caller's change must not reach other builders.
        PatternRules.AnyOperation.Limits.MaxCalls = 100;
        PatternRules.CdnProxyDefaults.Limits.MaxCalls = 100;

        Assert.Equal(PatternLimits.Default.MaxCalls, PatternRules.AnyOperation.Limits.MaxCalls);
        Assert.Throws<PixelbinUrlException>(() => new PixelbinImage("demo", "a.jpg") { Transformation = Chain(PatternLimits.Default.MaxCalls + 1) }.GetUrl());
    }

    [Fact]
    public void MoreDifferentImagesThanTheServerMerges_AreRefused()
    {
        static Transformation MergeOf(string file) => Basic.Merge(image: Convert.ToBase64String(Encoding.UTF8.GetBytes(file)).TrimEnd('='));
        var four = MergeOf("a").Pipe(MergeOf("b")).Pipe(MergeOf("c")).Pipe(MergeOf("d"));

        Assert.EndsWith("/a.jpg", new PixelbinImage("demo", "a.jpg") { Transformation = four.Pipe(MergeOf("a")) }.GetUrl());
        Assert.Contains("t.merge: 'i' may name at most 4 different images per pattern (this one names 5)", Refusal(four.Pipe(MergeOf("e"))), StringComparison.Ordinal);
        var nested = Convert.ToBase64String(Encoding.UTF8.GetBytes(MergeOf("e").ToString())).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.Contains("this one names 5", Refusal(four.Pipe(Basic.Merge(image: "YQ", transformation: nested))), StringComparison.Ordinal);
    }
}
