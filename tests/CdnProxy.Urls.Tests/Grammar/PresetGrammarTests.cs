using CdnProxy.Urls.Grammar;
using Sprache;

namespace CdnProxy.Urls.Tests.Grammar;

public class PresetGrammarTests
{
    [Theory]
    [InlineData("thumb")]
    [InlineData("preset1")]
    [InlineData("my-preset_2")]
    [InlineData("1x")]
    public void PresetName_ValidName_ParsesWhole(string text)
    {
        Assert.Equal(text, PatternGrammar.PresetName.End().Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a.b")]
    [InlineData("a$")]
    [InlineData("é")]
    public void PresetName_InvalidName_Fails(string text)
    {
        Assert.False(PatternGrammar.PresetName.End().TryParse(text).WasSuccessful);
    }

    [Theory]
    [InlineData("p:thumb")]
    [InlineData("p:thumb()")]
    public void Parse_PresetWithoutArguments_GivesReferenceWithNoArguments(string text)
    {
        var element = Assert.Single(PatternGrammar.Parse(text).Elements);

        var preset = Assert.IsType<PresetReference>(element);
        Assert.Equal("thumb", preset.Name);
        Assert.Empty(preset.Arguments);
        Assert.Equal(1, preset.Column);
    }

    [Fact]
    public void Parse_PresetWithArguments_RecordsArgumentsAndColumns()
    {
        var pattern = PatternGrammar.Parse("t.resize(h:200,w:100)~p:preset1(a:100,b:2.1,c:test)");

        Assert.True(pattern.HasPresets);
        Assert.IsType<TransformationCall>(pattern.Elements[0]);
        var preset = Assert.IsType<PresetReference>(pattern.Elements[1]);
        Assert.Equal("preset1", preset.Name);
        Assert.Equal(23, preset.Column);
        Assert.Equal(
            [new ArgumentSyntax("a", "100", 33), new ArgumentSyntax("b", "2.1", 39), new ArgumentSyntax("c", "test", 45)],
            preset.Arguments);
    }

    [Fact]
    public void Parse_ApplyForm_IsNormalisedToTheSameReference()
    {
        var apply = Assert.IsType<PresetReference>(Assert.Single(PatternGrammar.Parse("p.apply(n:mypreset,w:200)").Elements));
        var colon = Assert.IsType<PresetReference>(Assert.Single(PatternGrammar.Parse("p:mypreset(w:200)").Elements));

        Assert.Equal("mypreset", apply.Name);
        Assert.Equal(1, apply.Column);
        Assert.Equal([new ArgumentSyntax("w", "200", 20)], apply.Arguments);
        Assert.Equal(colon.Name, apply.Name);
        Assert.Equal(colon.Arguments.Select(a => (a.Key, a.Value)), apply.Arguments.Select(a => (a.Key, a.Value)));
    }

    [Fact]
    public void Parse_ApplyWithNameNotFirst_UsesTheFirstN()
    {
        var preset = Assert.IsType<PresetReference>(Assert.Single(PatternGrammar.Parse("p.apply(w:1,n:sized,n:other)").Elements));

        Assert.Equal("sized", preset.Name);
        Assert.Equal(["w=1", "n=other"], preset.Arguments.Select(a => a.Key + "=" + a.Value));
    }

    [Theory]
    [InlineData("p.apply(w:1)")]
    [InlineData("p.apply()")]
    [InlineData("p.apply(n:a.b)")]
    [InlineData("p.other(n:thumb)")]
    public void Parse_ApplyWithoutUsableName_StaysACall(string text)
    {
        var pattern = PatternGrammar.Parse(text);

        Assert.IsType<TransformationCall>(Assert.Single(pattern.Elements));
        Assert.False(pattern.HasPresets);
    }

    [Fact]
    public void Calls_ShowsPresetInTheSdkShape()
    {
        var pattern = PatternGrammar.Parse("t.flip()~p:sized(h:10)~t.flop()");

        Assert.Equal(["t.flip", "p.sized", "t.flop"], pattern.Calls.Select(c => c.QualifiedName));
        Assert.Equal([1, 10, 24], pattern.Calls.Select(c => c.Column));
        Assert.Equal([new ArgumentSyntax("h", "10", 18)], pattern.Calls[1].Arguments);
    }

    [Fact]
    public void Calls_WithoutPresets_AreTheElements()
    {
        var pattern = PatternGrammar.Parse("t.flip()~t.flop()");

        Assert.False(pattern.HasPresets);
        Assert.Equal(pattern.Elements, pattern.Calls);
    }

    [Fact]
    public void Parse_PresetsCountTowardsTheCallLimit()
    {
        var text = string.Join('~', Enumerable.Repeat("p:a", 16));

        Assert.Equal(UrlErrorCode.LimitExceeded, Assert.Throws<CdnUrlException>(() => PatternGrammar.Parse(text)).Code);
    }

    [Theory]
    [InlineData("p:", 3, "Unexpected end of pattern at column 3; expected preset name")]
    [InlineData("p:~t.flip()", 3, "Unexpected '~' at column 3; expected preset name")]
    [InlineData("p:thumb(", 9, "Unexpected end of pattern at column 9; expected argument key or ')'")]
    [InlineData("p:thumb(w:1", 12, "Unexpected end of pattern at column 12; expected ',' or ')'")]
    [InlineData("p:preset1(a:12", 15, "Unexpected end of pattern at column 15; expected ',' or ')'")]
    [InlineData("p:thumb(w:1,)", 13, "Unexpected ')' at column 13; expected argument key")]
    [InlineData("p:thumb()()", 10, "Unexpected '(' at column 10; expected end of pattern")]
    [InlineData("p:thumb~", 9, "Unexpected end of pattern at column 9; expected plugin name")]
    [InlineData("p:th.umb", 5, "Unexpected '.' at column 5; expected end of pattern")]
    [InlineData("t.flip()~p:", 12, "Unexpected end of pattern at column 12; expected preset name")]
    [InlineData("p:thumb~p", 10, "Unexpected end of pattern at column 10; expected ':' or '.'")]
    [InlineData("p.apply", 8, "Unexpected end of pattern at column 8; expected '('")]
    [InlineData("p.apply(n:)", 11, "Unexpected ')' at column 11; expected argument value")]
    [InlineData("P:thumb", 2, "Unexpected ':' at column 2; expected '.'")]
    public void Parse_BadPreset_ThrowsWithColumnAndExpectation(string text, int column, string message)
    {
        var error = Assert.Throws<CdnUrlException>(() => PatternGrammar.Parse(text));

        Assert.Equal(UrlErrorCode.PatternSyntax, error.Code);
        Assert.Equal(column, error.Column);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("pa.b()", "pa.b")]
    [InlineData("p.flip()", "p.flip")]
    public void Parse_PluginStartingWithP_IsStillACall(string text, string qualifiedName)
    {
        var call = Assert.IsType<TransformationCall>(Assert.Single(PatternGrammar.Parse(text).Elements));

        Assert.Equal(qualifiedName, call.QualifiedName);
    }
}
