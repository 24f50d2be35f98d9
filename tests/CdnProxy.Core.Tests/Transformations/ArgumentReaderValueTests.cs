using CdnProxy.Core.Transformations;
using CdnProxy.Urls.Grammar;

namespace CdnProxy.Core.Tests.Transformations;

public class ArgumentReaderValueTests
{
    private static ArgumentReader Reader(params (string Key, string Value)[] arguments) =>
        new(new TransformationCall("t", "merge", [.. arguments.Select((a, i) => new ArgumentSyntax(a.Key, a.Value, i + 1))], 1));

    private static CdnException Fails(Action action)
    {
        var e = Assert.Throws<CdnException>(action);
        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
        return e;
    }

    private static string Canonical(string key, string value, Action<ArgumentReader, string> read)
    {
        var reader = Reader((key, value));
        read(reader, key);
        reader.EnsureAllConsumed();
        return reader.ToCanonicalString();
    }

    // ---- Absent values ------------------------------------------------------------------------

    [Fact]
    public void AbsentValues_ReturnNull_AndAreLeftOutOfTheCanonical()
    {
        var reader = Reader();

        Assert.Null(reader.Bbox("bbox"));
        Assert.Null(reader.BboxList("bboxes"));
        Assert.Null(reader.PolygonList("polys"));
        Assert.Null(reader.FileId("i"));
        Assert.Null(reader.NestedPattern("tr"));
        Assert.Equal("t.merge()", reader.ToCanonicalString());
    }

    // ---- Bounding boxes and lists -------------------------------------------------------------

    [Fact]
    public void Bbox_SpecExample_ReturnsBox()
    {
        Assert.Equal(new BoundingBox(10, 20, 30, 40), Reader(("bbox", "10_20_30_40")).Bbox("bbox"));
    }

    [Theory]
    [InlineData("10_20_30_40")]
    [InlineData("010_20_030_0040")]
    public void Bbox_EquivalentSpellings_ShareCanonical(string text)
    {
        Assert.Equal("t.merge(bbox:10_20_30_40)", Canonical("bbox", text, (r, k) => r.Bbox(k)));
    }

    [Fact]
    public void BboxList_EquivalentSpellings_ShareCanonical()
    {
        const string Spec = "[[10_10_100_100]_[200_20_100_100]]";
        var canonical = Canonical("bboxes", Spec, (r, k) => r.BboxList(k));

        Assert.Equal($"t.merge(bboxes:{Spec})", canonical);
        Assert.Equal(canonical, Canonical("bboxes", "[[010_10_100_100]_[200_020_100_100]]", (r, k) => r.BboxList(k)));
        Assert.Equal(2, Reader(("bboxes", Spec)).BboxList("bboxes")!.Count);
    }

    [Fact]
    public void PolygonList_EquivalentSpellings_ShareCanonical()
    {
        const string Spec = "[[[10_20]_[110_20]_[120_140]_[10_140]]_[[210_220]_[120_220]_[60_340]_[280_340]]]";
        var canonical = Canonical("polys", Spec, (r, k) => r.PolygonList(k));

        Assert.Equal($"t.merge(polys:{Spec})", canonical);
        Assert.Equal(canonical, Canonical("polys", Spec.Replace("[10_", "[010_", StringComparison.Ordinal), (r, k) => r.PolygonList(k)));
        Assert.Equal([new(10, 20), new(110, 20), new(120, 140), new(10, 140)], Reader(("polys", Spec)).PolygonList("polys")![0]);
    }

    [Fact]
    public void DifferentBoxes_HaveDifferentCanonicals()
    {
        Assert.NotEqual(
            Canonical("bbox", "10_20_30_40", (r, k) => r.Bbox(k)),
            Canonical("bbox", "20_10_30_40", (r, k) => r.Bbox(k)));
    }

    [Theory]
    [InlineData("bbox", "10_20_30")]
    [InlineData("bbox", "10_20_-30_40")]
    [InlineData("bboxes", "[[10_10_100_100]_]")]
    [InlineData("bboxes", "10_10_100_100")]
    [InlineData("polys", "[[[1_2]_[3_4]]]")]
    [InlineData("polys", "[[1_2]_[3_4]_[5_6]]")]
    public void MalformedStructuredValue_NamesOperationAndKey(string key, string text)
    {
        var reader = Reader((key, text));
        Action read = key switch
        {
            "bbox" => () => reader.Bbox(key),
            "bboxes" => () => reader.BboxList(key),
            _ => () => reader.PolygonList(key),
        };

        var e = Fails(read);

        Assert.StartsWith($"t.merge: '{key}' must be ", e.Message, StringComparison.Ordinal);
        Assert.Contains($"(got '{text}')", e.Message, StringComparison.Ordinal);
    }

    // ---- File ids -----------------------------------------------------------------------------

    [Fact]
    public void FileId_SpecExample_ReturnsDecodedId()
    {
        Assert.Equal("yN8bAI8yU2fkYTC9CSFmC", Reader(("i", "eU44YkFJOHlVMmZrWVRDOUNTRm1D")).FileId("i"));
    }

    [Theory]
    [InlineData("aW1nL8O+Pz5+LnBuZw==")]
    [InlineData("aW1nL8O+Pz5+LnBuZw")]
    [InlineData("aW1nL8O-Pz5-LnBuZw==")]
    [InlineData("aW1nL8O-Pz5-LnBuZw")]
    public void FileId_EquivalentSpellings_ShareUrlSafeUnpaddedCanonical(string text)
    {
        Assert.Equal("img/þ?>~.png", Reader(("i", text)).FileId("i"));
        Assert.Equal("t.merge(i:aW1nL8O-Pz5-LnBuZw)", Canonical("i", text, (r, k) => r.FileId(k)));
    }

    [Fact]
    public void FileId_CanonicalIsAValidPatternValue()
    {
        var canonical = Canonical("i", "bG9nb34/LnBuZw==", (r, k) => r.FileId(k));

        var reparsed = PatternGrammar.Parse(canonical);

        Assert.Equal("logo~?.png", new ArgumentReader(reparsed.Calls[0]).FileId("i"));
    }

    [Theory]
    [InlineData("Li4vZXRj", "'..'")]
    [InlineData("L2Ficw==", "'/'")]
    [InlineData("YQFi", "control character")]
    [InlineData("Y", "base64")]
    [InlineData("+_8=", "base64")]
    public void FileId_Invalid_NamesOperationKeyAndReason(string text, string reason)
    {
        var e = Fails(() => Reader(("i", text)).FileId("i"));

        Assert.StartsWith("t.merge: 'i' must be a base64 file id: the ", e.Message, StringComparison.Ordinal);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.EndsWith($"(got '{text}')", e.Message, StringComparison.Ordinal);
    }

    // ---- Nested patterns ----------------------------------------------------------------------

    [Fact]
    public void NestedPattern_ReturnsParsedChain()
    {
        var pattern = Reader(("tr", "dC5yZXNpemUodzoxMDApfnQuZmxpcCgp")).NestedPattern("tr");

        Assert.NotNull(pattern);
        Assert.Equal(["t.resize", "t.flip"], pattern.Calls.Select(call => call.QualifiedName));
    }

    [Theory]
    [InlineData("dC5yZXNpemUodzoxMDApfnQudG9Gb3JtYXQoZjp3ZWJwKQ==")]
    [InlineData("dC5yZXNpemUodzoxMDApfnQudG9Gb3JtYXQoZjp3ZWJwKQ")]
    public void NestedPattern_EquivalentSpellings_ShareCanonical(string text)
    {
        Assert.Equal(
            "t.merge(tr:dC5yZXNpemUodzoxMDApfnQudG9Gb3JtYXQoZjp3ZWJwKQ)",
            Canonical("tr", text, (r, k) => r.NestedPattern(k)));
    }

    [Theory]
    [InlineData("dC5mbGlw", "does not parse")]
    [InlineData("cDp0aHVtYg==", "presets")]
    [InlineData("dC5tZXJnZSh0cjpkQzVtYkdsd0tDayk=", "another nested pattern")]
    [InlineData("b3JpZ2luYWw=", "'original'")]
    [InlineData("YQ=", "base64")]
    [InlineData("dC5yZXNpemUodzoxMDApfnQuZmxpcCgp==", "base64")]
    public void NestedPattern_Invalid_NamesOperationKeyAndReason(string text, string reason)
    {
        var e = Fails(() => Reader(("tr", text)).NestedPattern("tr"));

        Assert.StartsWith("t.merge: 'tr' must be a base64 pattern: the ", e.Message, StringComparison.Ordinal);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LongInvalidValue_IsNotEchoedInFull()
    {
        var text = new string('Q', 200) + "!";

        var e = Fails(() => Reader(("i", text)).FileId("i"));

        Assert.DoesNotContain(text, e.Message, StringComparison.Ordinal);
        Assert.True(e.Message.Length < 200, e.Message);
    }
}
