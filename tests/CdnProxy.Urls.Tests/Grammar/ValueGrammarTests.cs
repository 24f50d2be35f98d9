using System.Text;
using CdnProxy.Urls.Grammar;
using Sprache;

namespace CdnProxy.Urls.Tests.Grammar;

public class ValueGrammarTests
{
    private const string SpecPolygons = "[[[10_20]_[110_20]_[120_140]_[10_140]]_[[210_220]_[120_220]_[60_340]_[280_340]]]";

    private static CdnUrlException Fails(Action action)
    {
        var e = Assert.Throws<CdnUrlException>(action);
        Assert.Equal(UrlErrorCode.InvalidValue, e.Code);
        return e;
    }

    // ---- Single rules -------------------------------------------------------------------------

    [Theory]
    [InlineData("0", 0)]
    [InlineData("-249", -249)]
    [InlineData("007", 7)]
    [InlineData("2147483647", int.MaxValue)]
    [InlineData("-2147483648", int.MinValue)]
    public void Integer_Valid_ParsesWhole(string text, int expected)
    {
        Assert.Equal(expected, ValueGrammar.Integer.End().Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("+7")]
    [InlineData("-")]
    [InlineData("2147483648")]
    [InlineData("1.5")]
    [InlineData("1e3")]
    [InlineData("٣")]
    public void Integer_Invalid_Fails(string text)
    {
        Assert.False(ValueGrammar.Integer.End().TryParse(text).WasSuccessful);
    }

    [Fact]
    public void Natural_RejectsSign()
    {
        Assert.False(ValueGrammar.Natural.End().TryParse("-0").WasSuccessful);
        Assert.Equal(0, ValueGrammar.Natural.End().Parse("0"));
    }

    [Theory]
    [InlineData("[10_20]", 10, 20)]
    [InlineData("[-5_0]", -5, 0)]
    public void Point_Valid_Parses(string text, int x, int y)
    {
        Assert.Equal(new PolygonPoint(x, y), ValueGrammar.Point.End().Parse(text));
    }

    [Theory]
    [InlineData("[[1_2]_[3_4]_[5_6]]", 3)]
    [InlineData("[[10_20]_[110_20]_[120_140]_[10_140]]", 4)]
    public void Polygon_AtLeastThreePoints_Parses(string text, int count)
    {
        Assert.Equal(count, ValueGrammar.Polygon.End().Parse(text).Count);
    }

    [Theory]
    [InlineData("[[1_2]_[3_4]]")]
    [InlineData("[[1_2]]")]
    [InlineData("[]")]
    public void Polygon_FewerThanThreePoints_Fails(string text)
    {
        Assert.False(ValueGrammar.Polygon.End().TryParse(text).WasSuccessful);
    }

    // ---- Bounding boxes -----------------------------------------------------------------------

    [Theory]
    [InlineData("10_20_30_40", 10, 20, 30, 40)]
    [InlineData("0_0_0_0", 0, 0, 0, 0)]
    [InlineData("-10_-20_30_40", -10, -20, 30, 40)]
    [InlineData("010_020_030_040", 10, 20, 30, 40)]
    public void ParseBbox_Valid_ReturnsTopLeftHeightWidth(string text, int top, int left, int height, int width)
    {
        var box = ValueGrammar.ParseBbox(text);

        Assert.Equal(new BoundingBox(top, left, height, width), box);
        Assert.True(ValueGrammar.TryParseBbox(text, out var same));
        Assert.Equal(box, same);
    }

    [Fact]
    public void BoundingBox_ToString_IsCanonicalWireForm()
    {
        Assert.Equal("10_20_30_40", ValueGrammar.ParseBbox("010_20_0030_40").ToString());
        Assert.Equal("0_0_1_1", ValueGrammar.ParseBbox("-0_0_1_1").ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("10_20_30")]
    [InlineData("10_20_30_40_50")]
    [InlineData("10_20_-30_40")]
    [InlineData("10_20_30_-40")]
    [InlineData("10_20_30_40_")]
    [InlineData("_10_20_30_40")]
    [InlineData("10__20_30_40")]
    [InlineData("10-20-30-40")]
    [InlineData("[10_20_30_40]")]
    [InlineData("10_20_30_4.5")]
    [InlineData("+10_20_30_40")]
    [InlineData("10_20_30_99999999999")]
    [InlineData("a_b_c_d")]
    public void ParseBbox_Malformed_Fails(string text)
    {
        Assert.False(ValueGrammar.TryParseBbox(text, out _));
        var e = Fails(() => ValueGrammar.ParseBbox(text));
        Assert.Contains("top_left_height_width", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseBboxList_SpecExample_ReturnsBoxesInOrder()
    {
        var boxes = ValueGrammar.ParseBboxList("[[10_10_100_100]_[200_20_100_100]]");

        Assert.Equal([new BoundingBox(10, 10, 100, 100), new BoundingBox(200, 20, 100, 100)], boxes);
    }

    [Theory]
    [InlineData("[[10_10_100_100]]", 1)]
    [InlineData("[[1_2_3_4]_[5_6_7_8]_[9_10_11_12]]", 3)]
    public void ParseBboxList_Valid_CountsBoxes(string text, int count)
    {
        Assert.True(ValueGrammar.TryParseBboxList(text, out var boxes));
        Assert.Equal(count, boxes.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("[[]]")]
    [InlineData("10_10_100_100")]
    [InlineData("[10_10_100_100]")]
    [InlineData("[[10_10_100_100]_]")]
    [InlineData("[[10_10_100_100][200_20_100_100]]")]
    [InlineData("[[10_10_100_100]_[200_20_100]]")]
    [InlineData("[[10_10_100_100]")]
    [InlineData("[[10_10_100_100]]]")]
    [InlineData("[[10_10_-1_100]]")]
    public void ParseBboxList_Malformed_Fails(string text)
    {
        Assert.False(ValueGrammar.TryParseBboxList(text, out _));
        Fails(() => ValueGrammar.ParseBboxList(text));
    }

    [Fact]
    public void FormatBboxList_RoundTrips()
    {
        var text = "[[10_10_100_100]_[200_20_100_100]]";
        Assert.Equal(text, ValueGrammar.FormatBboxList(ValueGrammar.ParseBboxList(text)));
        Assert.Equal("[[1_2_3_4]]", ValueGrammar.FormatBboxList(ValueGrammar.ParseBboxList("[[01_2_3_04]]")));
        Assert.Throws<ArgumentException>(() => ValueGrammar.FormatBboxList([]));
    }

    // ---- Polygon lists ------------------------------------------------------------------------

    [Fact]
    public void ParsePolygonList_SpecExample_ReturnsPolygonsAndPoints()
    {
        var polygons = ValueGrammar.ParsePolygonList(SpecPolygons);

        Assert.Equal(2, polygons.Count);
        Assert.Equal([new(10, 20), new(110, 20), new(120, 140), new(10, 140)], polygons[0]);
        Assert.Equal([new(210, 220), new(120, 220), new(60, 340), new(280, 340)], polygons[1]);
        Assert.Equal(SpecPolygons, ValueGrammar.FormatPolygonList(polygons));
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("[[]]")]
    [InlineData("[[1_2]_[3_4]_[5_6]]")]
    [InlineData("[[[1_2]_[3_4]]]")]
    [InlineData("[[[1_2]_[3_4]_[5_6]]_[[1_2]_[3_4]]]")]
    [InlineData("[[[1_2]_[3_4]_[5_6]]_]")]
    [InlineData("[[[1_2]_[3_4]_[5_6_7]]]")]
    [InlineData("[[[1_2]_[3_4]_[5_x]]]")]
    [InlineData("[[[1_2]_[3_4]_[5_6]]")]
    public void ParsePolygonList_Malformed_Fails(string text)
    {
        Assert.False(ValueGrammar.TryParsePolygonList(text, out _));
        var e = Fails(() => ValueGrammar.ParsePolygonList(text));
        Assert.Contains("polygon", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParsePolygonList_NegativeCoordinates_Allowed()
    {
        var polygon = Assert.Single(ValueGrammar.ParsePolygonList("[[[-1_-2]_[3_4]_[5_6]]]"));
        Assert.Equal(new PolygonPoint(-1, -2), polygon[0]);
    }

    // ---- Base64 -------------------------------------------------------------------------------

    [Theory]
    [InlineData("YQ==", "61")]
    [InlineData("YQ", "61")]
    [InlineData("YWI=", "6162")]
    [InlineData("YWI", "6162")]
    [InlineData("YWJj", "616263")]
    [InlineData("+/8=", "fbff")]
    [InlineData("-_8=", "fbff")]
    [InlineData("-_8", "fbff")]
    [InlineData("++++", "fbefbe")]
    [InlineData("----", "fbefbe")]
    [InlineData("//4", "fffe")]
    [InlineData("__4", "fffe")]
    public void DecodeBase64_EitherAlphabetAndPadding_DecodesSameBytes(string text, string hex)
    {
        Assert.Equal(Convert.FromHexString(hex), ValueGrammar.DecodeBase64(text));
        Assert.True(ValueGrammar.TryDecodeBase64(text, out var bytes));
        Assert.Equal(Convert.FromHexString(hex), bytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Y")]
    [InlineData("YWJjZ")]
    [InlineData("YQ=")]
    [InlineData("YQ===")]
    [InlineData("YWI==")]
    [InlineData("=")]
    [InlineData("====")]
    [InlineData("YQ==YWJj")]
    [InlineData("YW I=")]
    [InlineData("YW.I")]
    [InlineData("+_8=")]
    [InlineData("-/8=")]
    [InlineData("YR==")]
    [InlineData("YWJ=")]
    [InlineData("YWé=")]
    public void DecodeBase64_Malformed_Fails(string text)
    {
        Assert.False(ValueGrammar.TryDecodeBase64(text, out _));
        Fails(() => ValueGrammar.DecodeBase64(text));
    }

    [Fact]
    public void DecodeBase64_MatchesTheFrameworkDecoder()
    {
        var random = new Random(1234);
        for (var length = 1; length < 64; length++)
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            var standard = Convert.ToBase64String(bytes);

            Assert.Equal(bytes, ValueGrammar.DecodeBase64(standard));
            Assert.Equal(bytes, ValueGrammar.DecodeBase64(standard.TrimEnd('=')));
            Assert.Equal(bytes, ValueGrammar.DecodeBase64(ValueGrammar.EncodeBase64Url(bytes)));
        }
    }

    [Fact]
    public void DecodeBase64_TooLong_FailsWithoutEchoingTheValue()
    {
        var text = new string('Q', ValueGrammar.MaxValueLength + 4);

        var e = Fails(() => ValueGrammar.DecodeBase64(text));

        Assert.DoesNotContain("QQQQ", e.Message, StringComparison.Ordinal);
        Assert.False(ValueGrammar.TryDecodeBase64(text, out _));
    }

    [Fact]
    public void EncodeBase64Url_IsUrlSafeWithoutPadding()
    {
        Assert.Equal("-_8", ValueGrammar.EncodeBase64Url(Convert.FromHexString("fbff")));
        Assert.Equal("YQ", ValueGrammar.EncodeBase64Url("a"u8));
    }

    // ---- File ids -----------------------------------------------------------------------------

    [Theory]
    [InlineData("eU44YkFJOHlVMmZrWVRDOUNTRm1D", "yN8bAI8yU2fkYTC9CSFmC")]
    [InlineData("Zm9sZGVyL25hbWU=", "folder/name")]
    [InlineData("Zm9sZGVyL25hbWU", "folder/name")]
    [InlineData("bG9nb3MvcGIucG5n", "logos/pb.png")]
    [InlineData("aW1nL8O+Pz5+LnBuZw==", "img/þ?>~.png")]
    [InlineData("aW1nL8O-Pz5-LnBuZw", "img/þ?>~.png")]
    [InlineData("bG9nb34/LnBuZw==", "logo~?.png")]
    [InlineData("bG9nb34_LnBuZw", "logo~?.png")]
    public void DecodeFileId_SpecAndAlphabetVariants_ReturnFileId(string text, string expected)
    {
        Assert.Equal(expected, ValueGrammar.DecodeFileId(text));
    }

    [Theory]
    [InlineData("Li4vZXRj", "'..'")]          // ../etc
    [InlineData("L2Ficw==", "starts with '/'")] // /abs
    [InlineData("YS8vYg==", "segment")]       // a//b
    [InlineData("ZGlyLy4veA==", "segment")]   // dir/./x
    [InlineData("ZGlyLw==", "segment")]       // dir/
    [InlineData("YVxi", "'\\'")]              // a\b
    [InlineData("YQFi", "control")]           // a\x01b
    [InlineData("//4=", "UTF-8")]             // ff fe
    [InlineData("Y", "base64")]
    public void DecodeFileId_Unsafe_FailsWithReason(string text, string reason)
    {
        var e = Fails(() => ValueGrammar.DecodeFileId(text));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    // ---- Nested patterns ----------------------------------------------------------------------

    [Theory]
    [InlineData("dC5yZXNpemUodzoxMDApfnQuZmxpcCgp", "t.resize(w:100)~t.flip()")]
    [InlineData("dC5yZXNpemUodzoxMDApfnQudG9Gb3JtYXQoZjp3ZWJwKQ==", "t.resize(w:100)~t.toFormat(f:webp)")]
    [InlineData("dC5yZXNpemUodzoxMDApfnQudG9Gb3JtYXQoZjp3ZWJwKQ", "t.resize(w:100)~t.toFormat(f:webp)")]
    public void DecodeNestedPattern_ValidPattern_ReturnsText(string text, string expected)
    {
        var pattern = ValueGrammar.DecodeNestedPattern(text);

        Assert.Equal(expected, pattern);
        Assert.Equal(expected, PatternGrammar.Parse(pattern).ToString());
    }

    [Fact]
    public void DecodeNestedPattern_RoundTripsThroughEncodeBase64Url()
    {
        const string Pattern = "t.resize(w:100)~t.flip()";
        var encoded = ValueGrammar.EncodeBase64Url(Encoding.UTF8.GetBytes(Pattern));

        Assert.Equal(Pattern, ValueGrammar.DecodeNestedPattern(encoded));
    }

    [Theory]
    [InlineData("dC5yZXNpemUodzo=", "does not parse")]                        // t.resize(w:
    [InlineData("dC5mbGlw", "does not parse")]                                // t.flip
    [InlineData("b3JpZ2luYWw=", "'original'")]                                // original
    [InlineData("cDp0aHVtYg==", "presets")]                                   // p:thumb
    [InlineData("dC5tZXJnZSh0cjpkQzVtYkdsd0tDayk=", "another nested pattern")] // t.merge(tr:dC5mbGlwKCk)
    [InlineData("//4=", "UTF-8")]
    [InlineData("Y", "base64")]
    public void DecodeNestedPattern_NotAllowed_FailsWithReason(string text, string reason)
    {
        var e = Fails(() => ValueGrammar.DecodeNestedPattern(text));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }
}
