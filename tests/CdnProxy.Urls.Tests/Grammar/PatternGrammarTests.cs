using System.Diagnostics;
using CdnProxy.Urls.Grammar;
using Sprache;

namespace CdnProxy.Urls.Tests.Grammar;

public class PatternGrammarTests
{
    // ---- Single rules -------------------------------------------------------------------------

    [Theory]
    [InlineData("t")]
    [InlineData("toFormat")]
    [InlineData("vertexAi")]
    [InlineData("numPlate")]
    [InlineData("a_1")]
    public void Identifier_ValidName_ParsesWhole(string text)
    {
        Assert.Equal(text, PatternGrammar.Identifier.End().Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1t")]
    [InlineData("_t")]
    [InlineData("to-format")]
    [InlineData("é")]
    public void Identifier_InvalidName_Fails(string text)
    {
        Assert.False(PatternGrammar.Identifier.End().TryParse(text).WasSuccessful);
    }

    [Theory]
    [InlineData("h")]
    [InlineData("enhance_face")]
    [InlineData("obj_threshold_perc")]
    [InlineData("box1")]
    [InlineData("1")]
    public void Key_ValidKey_ParsesWhole(string text)
    {
        Assert.Equal(text, PatternGrammar.Key.End().Parse(text));
    }

    [Theory]
    [InlineData("300")]
    [InlineData("-249")]
    [InlineData("2.5")]
    [InlineData("ff0000")]
    [InlineData("00000000")]
    [InlineData("right_top")]
    [InlineData("dest-over")]
    [InlineData("10_20_30_40")]
    [InlineData("[[10_10_100_100]_[200_20_100_100]]")]
    [InlineData("[[[10_20]_[110_20]_[120_140]_[10_140]]_[[210_220]_[120_220]_[60_340]_[280_340]]]")]
    [InlineData("eU44YkFJOHlVMmZrWVRDOUNTRm1D")]
    [InlineData("YSBmb3Jlc3Q+Zm9vYmFy==")]
    [InlineData("YSBm-b3Jlc3Q_Zm9v")]
    [InlineData("logos__pb.png")]
    public void Value_ValidValue_ParsesWhole(string text)
    {
        Assert.Equal(text, PatternGrammar.Value.End().Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a,b")]
    [InlineData("a)")]
    [InlineData("a(")]
    [InlineData("a~b")]
    [InlineData("a:b")]
    [InlineData("a b")]
    [InlineData("a\tb")]
    [InlineData("a/b")]
    [InlineData("a\u0001")]
    public void Value_ForbiddenCharacter_Fails(string text)
    {
        Assert.False(PatternGrammar.Value.End().TryParse(text).WasSuccessful);
    }

    [Fact]
    public void Argument_KeyAndValue_RecordsKeyColumn()
    {
        var argument = PatternGrammar.Argument.End().Parse("bbox:10_20_30_40");

        Assert.Equal(new ArgumentSyntax("bbox", "10_20_30_40", 1), argument);
    }

    [Fact]
    public void Call_WithArguments_RecordsPluginNameAndArguments()
    {
        var call = PatternGrammar.Call.End().Parse("t.resize(h:600,w:800)");

        Assert.Equal("t", call.Plugin);
        Assert.Equal("resize", call.Name);
        Assert.Equal("t.resize", call.QualifiedName);
        Assert.Equal(1, call.Column);
        Assert.Equal([new ArgumentSyntax("h", "600", 10), new ArgumentSyntax("w", "800", 16)], call.Arguments);
    }

    [Fact]
    public void ArgumentList_Empty_ParsesToNoArguments()
    {
        Assert.Empty(PatternGrammar.ArgumentList.End().Parse("()"));
    }

    // ---- Whole patterns -----------------------------------------------------------------------

    [Fact]
    public void Parse_Original_ReturnsOriginal()
    {
        var pattern = PatternGrammar.Parse("original");

        Assert.True(pattern.IsOriginal);
        Assert.Same(PatternSyntax.Original, pattern);
    }

    [Fact]
    public void Parse_SpecChainU3_ReturnsCallsInOrderWithColumns()
    {
        var pattern = PatternGrammar.Parse("t.resize(h:600,w:800)~t.rotate(a:-249)~t.flip()~t.trim(t:217)");

        Assert.Collection(
            pattern.Calls,
            c =>
            {
                Assert.Equal(("t.resize", 1), (c.QualifiedName, c.Column));
                Assert.Equal([new ArgumentSyntax("h", "600", 10), new ArgumentSyntax("w", "800", 16)], c.Arguments);
            },
            c =>
            {
                Assert.Equal(("t.rotate", 23), (c.QualifiedName, c.Column));
                Assert.Equal([new ArgumentSyntax("a", "-249", 32)], c.Arguments);
            },
            c =>
            {
                Assert.Equal(("t.flip", 40), (c.QualifiedName, c.Column));
                Assert.Empty(c.Arguments);
            },
            c =>
            {
                Assert.Equal(("t.trim", 49), (c.QualifiedName, c.Column));
                Assert.Equal([new ArgumentSyntax("t", "217", 56)], c.Arguments);
            });
    }

    [Fact]
    public void Parse_SpecMergeU7_KeepsBase64ValueRaw()
    {
        var pattern = PatternGrammar.Parse("erase.bg(shadow:true)~t.merge(m:underlay,i:eU44YkFJOHlVMmZrWVRDOUNTRm1D,b:screen,r:true)");

        Assert.Equal(["erase.bg", "t.merge"], pattern.Calls.Select(c => c.QualifiedName));
        Assert.Equal(
            [("m", "underlay"), ("i", "eU44YkFJOHlVMmZrWVRDOUNTRm1D"), ("b", "screen"), ("r", "true")],
            pattern.Calls[1].Arguments.Select(a => (a.Key, a.Value)));
    }

    [Theory]
    [InlineData("t.flip()", "t.flip", "")]
    [InlineData("erase.bg()", "erase.bg", "")]
    [InlineData("t.resize()", "t.resize", "")]
    [InlineData("t.toFormat(f:webp)", "t.toFormat", "f=webp")]
    [InlineData("t.resize(w:1,w:2)", "t.resize", "w=1;w=2")]
    [InlineData("t.extract(bbox:10_20_30_40)", "t.extract", "bbox=10_20_30_40")]
    [InlineData("af.remove(bboxes:[[10_10_100_100]_[200_20_100_100]])", "af.remove", "bboxes=[[10_10_100_100]_[200_20_100_100]]")]
    [InlineData("t.modulate(b:2.5,s:-0.3,h:90)", "t.modulate", "b=2.5;s=-0.3;h=90")]
    [InlineData("t.extend(t:10,b:ff0000,bc:00000000)", "t.extend", "t=10;b=ff0000;bc=00000000")]
    [InlineData("p.apply(w:200)", "p.apply", "w=200")]
    [InlineData("original.x()", "original.x", "")]
    public void Parse_SingleCall_ReturnsNameAndArguments(string text, string qualifiedName, string arguments)
    {
        var call = Assert.Single(PatternGrammar.Parse(text).Calls);

        Assert.Equal(qualifiedName, call.QualifiedName);
        Assert.Equal(arguments, string.Join(';', call.Arguments.Select(a => a.Key + "=" + a.Value)));
    }

    [Theory]
    [InlineData("t.flip", 7, "Unexpected end of pattern at column 7; expected '('")]
    [InlineData("t.resize(h:100)~", 17, "Unexpected end of pattern at column 17; expected plugin name")]
    [InlineData("t.resize(h:)", 12, "Unexpected ')' at column 12; expected argument value")]
    [InlineData("t.resize(:1)", 10, "Unexpected ':' at column 10; expected argument key or ')'")]
    [InlineData("t.resize(w:1:2)", 13, "Unexpected ':' at column 13; expected ',' or ')'")]
    [InlineData("t.resize(w:1", 13, "Unexpected end of pattern at column 13; expected ',' or ')'")]
    [InlineData("t.resize(w:1 0)", 13, "Unexpected space at column 13; expected ',' or ')'")]
    [InlineData("t.resize(w:1,)", 14, "Unexpected ')' at column 14; expected argument key")]
    [InlineData("t.resize(w)", 11, "Unexpected ')' at column 11; expected ':'")]
    [InlineData("t.resize(", 10, "Unexpected end of pattern at column 10; expected argument key or ')'")]
    [InlineData("t.resize(w:1))", 14, "Unexpected ')' at column 14; expected end of pattern")]
    [InlineData("t.flip()x", 9, "Unexpected 'x' at column 9; expected end of pattern")]
    [InlineData("t.flip()~~t.flop()", 10, "Unexpected '~' at column 10; expected plugin name")]
    [InlineData("t..flip()", 3, "Unexpected '.' at column 3; expected operation name")]
    [InlineData("t.resize(w:a/b)", 13, "Unexpected '/' at column 13; expected ',' or ')'")]
    [InlineData("t.resize(w:\u00e9)", 12, "Unexpected U+00E9 at column 12; expected argument value")]
    [InlineData("1.resize()", 1, "Unexpected '1' at column 1; expected 'original' or plugin name")]
    [InlineData("", 1, "Unexpected end of pattern at column 1; expected 'original' or plugin name")]
    [InlineData("orig", 5, "Unexpected end of pattern at column 5; expected '.'")]
    [InlineData("original~t.flip()", 9, "Unexpected '~' at column 9; expected end of pattern or '.'")]
    [InlineData("p", 2, "Unexpected end of pattern at column 2; expected ':' or '.'")]
    public void Parse_BadSyntax_ThrowsWithColumnAndExpectation(string text, int column, string message)
    {
        var error = Assert.Throws<CdnUrlException>(() => PatternGrammar.Parse(text));

        Assert.Equal(UrlErrorCode.PatternSyntax, error.Code);
        Assert.Equal(column, error.Column);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void TryParse_BadSyntax_ReturnsErrorWithoutThrowing()
    {
        var ok = PatternGrammar.TryParse("t.flip", out var pattern, out var error);

        Assert.False(ok);
        Assert.Null(pattern);
        Assert.NotNull(error);
        Assert.Equal("'('", error.Expected);
    }

    [Fact]
    public void TryParse_GoodPattern_ReturnsPattern()
    {
        var ok = PatternGrammar.TryParse("t.flip()", out var pattern, out var error);

        Assert.True(ok);
        Assert.Null(error);
        Assert.Equal("t.flip", Assert.Single(pattern!.Calls).QualifiedName);
    }

    // ---- Limits and hostile input -------------------------------------------------------------

    [Fact]
    public void Parse_FifteenCalls_IsAccepted()
    {
        var text = string.Join('~', Enumerable.Repeat("t.flip()", 15));

        Assert.Equal(15, PatternGrammar.Parse(text).Calls.Count);
    }

    [Fact]
    public void Parse_SixteenCalls_ThrowsLimitExceededAtSixteenthCall()
    {
        var text = string.Join('~', Enumerable.Repeat("t.flip()", 16));

        var error = Assert.Throws<CdnUrlException>(() => PatternGrammar.Parse(text));

        Assert.Equal(UrlErrorCode.LimitExceeded, error.Code);
        Assert.Equal((15 * 9) + 1, error.Column);
        Assert.Equal("Pattern has more than 15 transformations.", error.Message);
    }

    [Fact]
    public void Parse_PatternOfMaxLength_IsAccepted()
    {
        var text = "t.a(v:" + new string('x', 2048 - 7) + ")";

        Assert.Equal(2048, text.Length);
        Assert.Single(PatternGrammar.Parse(text).Calls);
    }

    [Fact]
    public void Parse_PatternLongerThanMaxLength_ThrowsLimitExceeded()
    {
        var text = "t.a(v:" + new string('x', 2048 - 6) + ")";

        var error = Assert.Throws<CdnUrlException>(() => PatternGrammar.Parse(text));

        Assert.Equal(UrlErrorCode.LimitExceeded, error.Code);
        Assert.Equal("Pattern is longer than 2048 characters.", error.Message);
    }

    [Fact]
    public void Parse_ConfiguredLimits_AreUsed()
    {
        var limits = new PatternLimits { MaxLength = 20, MaxCalls = 2 };

        Assert.Equal(2, PatternGrammar.Parse("t.flip()~t.flop()", limits).Calls.Count);
        Assert.Equal(UrlErrorCode.LimitExceeded, Assert.Throws<CdnUrlException>(() => PatternGrammar.Parse("t.a()~t.b()~t.c()", limits)).Code);
        Assert.Equal(UrlErrorCode.LimitExceeded, Assert.Throws<CdnUrlException>(() => PatternGrammar.Parse("t.resize(w:100,h:100)", limits)).Code);
    }

    public static TheoryData<string> HostilePatterns() => new()
    {
        string.Concat(Enumerable.Repeat("t.a(", 25_000)),
        new string('(', 100_000),
        string.Concat(Enumerable.Repeat("t.a()~", 16_667)),
        "t.a(" + string.Concat(Enumerable.Repeat("k:v,", 25_000)),
    };

    [Theory]
    [MemberData(nameof(HostilePatterns))]
    public void Parse_HundredKilobytePattern_IsRejectedByItsLengthBeforeTheGrammarRuns(string text)
    {
        var error = Assert.Throws<CdnUrlException>(() => PatternGrammar.Parse(text));

        // The length check answers first (its column is just past the limit): no parser rule ever saw the text.
        Assert.Equal(UrlErrorCode.LimitExceeded, error.Code);
        Assert.Equal(PatternLimits.Default.MaxLength + 1, error.Column);
        Assert.Contains($"longer than {PatternLimits.Default.MaxLength} characters", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(HostilePatterns))]
    public void Parse_HundredKilobytePattern_WithoutLimits_GrammarStaysLinear(string text)
    {
        var unlimited = new PatternLimits { MaxLength = int.MaxValue, MaxCalls = int.MaxValue };
        var stopwatch = Stopwatch.StartNew();

        PatternGrammar.TryParse(text, unlimited, out _, out _);

        Assert.True(stopwatch.ElapsedMilliseconds < 3000, $"took {stopwatch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void Parse_Null_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => PatternGrammar.Parse(null!));
    }
}
