using CdnProxy.Core.Transformations;
using CdnProxy.Urls.Grammar;

namespace CdnProxy.Core.Tests.Transformations;

public class ArgumentReaderTests
{
    public enum Shade
    {
        Light,
        Dark,
    }

    private static readonly EnumArgument<Shade> Shades = new(("light", Shade.Light), ("pale", Shade.Light), ("dark", Shade.Dark));

    private static readonly Dictionary<string, int> Words = new(StringComparer.OrdinalIgnoreCase) { ["best"] = 90, ["low"] = 50 };

    private static ArgumentReader Reader(params (string Key, string Value)[] arguments) =>
        new(new TransformationCall("t", "demo", [.. arguments.Select((a, i) => new ArgumentSyntax(a.Key, a.Value, i + 1))], 1));

    private static CdnException Fails(Action action)
    {
        var e = Assert.Throws<CdnException>(action);
        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
        return e;
    }

    [Fact]
    public void Operation_IsTheQualifiedName()
    {
        Assert.Equal("t.demo", Reader().Operation);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("300", 300)]
    [InlineData("-249", -249)]
    [InlineData("+7", 7)]
    [InlineData("1000", 1000)]
    [InlineData("-1000", -1000)]
    public void Whole_ValidText_ReturnsValue(string text, int expected)
    {
        Assert.Equal(expected, Reader(("w", text)).Whole("w", 5, -1000, 1000));
    }

    [Fact]
    public void Whole_Absent_ReturnsDefault()
    {
        Assert.Equal(5, Reader().Whole("w", 5, 0, 10));
    }

    [Theory]
    [InlineData("1001")]
    [InlineData("-1001")]
    [InlineData("2.5")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("1e3")]
    [InlineData("99999999999999")]
    public void Whole_InvalidOrOutOfRange_ThrowsNamingOperationAndKey(string text)
    {
        var e = Fails(() => Reader(("w", text)).Whole("w", 0, -1000, 1000));
        Assert.Contains("t.demo", e.Message, StringComparison.Ordinal);
        Assert.Contains("'w'", e.Message, StringComparison.Ordinal);
        Assert.Contains("-1000 to 1000", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2.5", 2.5)]
    [InlineData("2.50", 2.5)]
    [InlineData("0.1", 0.1)]
    [InlineData("5", 5)]
    [InlineData("-1", -1)]
    [InlineData(".5", 0.5)]
    public void Real_ValidText_ReturnsValue(string text, double expected)
    {
        Assert.Equal(expected, Reader(("dpr", text)).Real("dpr", 1, -1, 5));
    }

    [Theory]
    [InlineData("5.01")]
    [InlineData("-1.5")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1e2")]
    [InlineData("1,5")]
    [InlineData("x")]
    public void Real_InvalidOrOutOfRange_ThrowsNamingOperationAndKey(string text)
    {
        var e = Fails(() => Reader(("dpr", text)).Real("dpr", 1, -1, 5));
        Assert.Contains("t.demo", e.Message, StringComparison.Ordinal);
        Assert.Contains("'dpr'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("1", true)]
    [InlineData("false", false)]
    [InlineData("0", false)]
    public void Flag_ValidText_ReturnsValue(string text, bool expected)
    {
        Assert.Equal(expected, Reader(("x", text)).Flag("x", !expected));
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("2")]
    [InlineData("TRUEISH")]
    public void Flag_InvalidText_Throws(string text)
    {
        var e = Fails(() => Reader(("x", text)).Flag("x", false));
        Assert.Contains("'x'", e.Message, StringComparison.Ordinal);
        Assert.Contains("true or false", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("light", Shade.Light)]
    [InlineData("pale", Shade.Light)]
    [InlineData("DARK", Shade.Dark)]
    public void Choice_KnownToken_ReturnsValue(string text, Shade expected)
    {
        Assert.Equal(expected, Reader(("s", text)).Choice("s", Shade.Light, Shades));
    }

    [Fact]
    public void Choice_UnknownToken_ThrowsListingTheTokens()
    {
        var e = Fails(() => Reader(("s", "medium")).Choice("s", Shade.Light, Shades));
        Assert.Contains("light, pale, dark", e.Message, StringComparison.Ordinal);
        Assert.Contains("'medium'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Choice_Alias_CanonicalIsTheFirstToken()
    {
        var reader = Reader(("s", "pale"));
        reader.Choice("s", Shade.Dark, Shades);
        Assert.Equal("t.demo(s:light)", reader.ToCanonicalString());
    }

    [Theory]
    [InlineData("ff0000", 255, 0, 0, 255)]
    [InlineData("00FF0080", 0, 255, 0, 128)]
    public void Color_ValidText_ReturnsValue(string text, byte r, byte g, byte b, byte a)
    {
        Assert.Equal(new Rgba(r, g, b, a), Reader(("b", text)).Color("b", Rgba.White));
    }

    [Theory]
    [InlineData("red")]
    [InlineData("fff")]
    [InlineData("0x00ff00")]
    [InlineData("gg0000")]
    public void Color_InvalidText_Throws(string text)
    {
        var e = Fails(() => Reader(("b", text)).Color("b", Rgba.White));
        Assert.Contains("'b'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("100", 100)]
    [InlineData("best", 90)]
    [InlineData("LOW", 50)]
    public void Quality_NumberOrWord_ReturnsValue(string text, int expected)
    {
        Assert.Equal(expected, Reader(("q", text)).Quality("q", 75, Words));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    [InlineData("-5")]
    [InlineData("+5")]
    [InlineData("great")]
    public void Quality_Invalid_ThrowsListingTheWords(string text)
    {
        var e = Fails(() => Reader(("q", text)).Quality("q", 75, Words));
        Assert.Contains("'q'", e.Message, StringComparison.Ordinal);
        Assert.Contains("best, low", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Quality_Word_CanonicalIsTheNumber()
    {
        var reader = Reader(("q", "best"));
        reader.Quality("q", 75, Words);
        Assert.Equal("t.demo(q:90)", reader.ToCanonicalString());
    }

    [Fact]
    public void DuplicateKey_LastOneWins()
    {
        Assert.Equal(200, Reader(("w", "100"), ("w", "200")).Whole("w", 0, 0, 1000));
    }

    [Fact]
    public void DuplicateKey_EarlierInvalidValueIsIgnored()
    {
        Assert.Equal(200, Reader(("w", "oops"), ("w", "200")).Whole("w", 0, 0, 1000));
    }

    [Fact]
    public void EnsureAllConsumed_EveryKeyRead_DoesNotThrow()
    {
        var reader = Reader(("w", "1"), ("h", "2"));
        reader.Whole("w", 0, 0, 10);
        reader.Whole("h", 0, 0, 10);
        reader.EnsureAllConsumed();
        Assert.Equal("t.demo(h:2,w:1)", reader.ToCanonicalString());
    }

    [Fact]
    public void EnsureAllConsumed_UnknownKey_ThrowsNamingIt()
    {
        var reader = Reader(("w", "1"), ("zoom", "2"));
        reader.Whole("w", 0, 0, 10);
        var e = Fails(reader.EnsureAllConsumed);
        Assert.Contains("t.demo", e.Message, StringComparison.Ordinal);
        Assert.Contains("'zoom'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToCanonicalString_SortsKeysAndFillsDefaults()
    {
        var reader = Reader(("w", "300"));
        reader.Whole("w", 0, 0, 1000);
        reader.Whole("h", 0, 0, 1000);
        reader.Flag("a", true);
        reader.Color("b", Rgba.Black);
        Assert.Equal("t.demo(a:true,b:000000,h:0,w:300)", reader.ToCanonicalString());
    }

    [Fact]
    public void ToCanonicalString_NoArguments_IsEmptyParentheses()
    {
        Assert.Equal("t.demo()", Reader().ToCanonicalString());
    }

    [Theory]
    [InlineData("2.50", "2.5")]
    [InlineData("1.0", "1")]
    [InlineData("1", "1")]
    [InlineData("0.0", "0")]
    [InlineData("-0", "0")]
    [InlineData("+3.25", "3.25")]
    [InlineData("0.10", "0.1")]
    public void ToCanonicalString_NormalisesNumbers(string text, string canonical)
    {
        var reader = Reader(("x", text));
        reader.Real("x", 1, -10, 10);
        Assert.Equal($"t.demo(x:{canonical})", reader.ToCanonicalString());
    }

    [Theory]
    [InlineData("007", "7")]
    [InlineData("+7", "7")]
    [InlineData("-0", "0")]
    public void ToCanonicalString_NormalisesWholeNumbers(string text, string canonical)
    {
        var reader = Reader(("x", text));
        reader.Whole("x", 1, -10, 10);
        Assert.Equal($"t.demo(x:{canonical})", reader.ToCanonicalString());
    }

    [Fact]
    public void ToCanonicalString_ColourIsLowercaseWithoutOpaqueAlpha()
    {
        var reader = Reader(("b", "FF00AAff"));
        reader.Color("b", Rgba.Black);
        Assert.Equal("t.demo(b:ff00aa)", reader.ToCanonicalString());
    }

    [Fact]
    public void Invalid_LongValue_IsTruncatedInMessage()
    {
        var value = new string('9', 40) + "TAIL";
        var e = Fails(() => Reader(("w", value)).Whole("w", 0, 0, 10));
        Assert.Contains(new string('9', 32) + "…", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("TAIL", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_ShortValue_IsEchoedWhole()
    {
        var value = new string('x', 32);
        var e = Fails(() => Reader(("w", value)).Whole("w", 0, 0, 10));
        Assert.Contains("'" + value + "'", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("…", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("90", 90)]
    [InlineData("450", 90)]
    [InlineData("-90", 270)]
    [InlineData("-360", 0)]
    [InlineData("720", 0)]
    public void WholeModulo_ReducesValueAndCanonical(string text, int expected)
    {
        var reader = Reader(("a", text));

        Assert.Equal(expected, reader.WholeModulo("a", 0, -1000, 1000, 360));
        Assert.Equal($"t.demo(a:{expected})", reader.ToCanonicalString());
    }

    [Fact]
    public void WholeModulo_OutOfRange_Throws()
    {
        Fails(() => Reader(("a", "1001")).WholeModulo("a", 0, -1000, 1000, 360));
    }
}
