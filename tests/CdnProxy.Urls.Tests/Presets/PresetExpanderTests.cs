using CdnProxy.Urls.Grammar;
using CdnProxy.Urls.Presets;

namespace CdnProxy.Urls.Tests.Presets;

public class PresetExpanderTests
{
    private static readonly PresetExpander Expander = new(SpecPresets.Catalog);

    private static PatternSyntax Expand(string pattern) => Expander.Expand(PatternGrammar.Parse(pattern));

    // ---- Spec §6.5 rows -----------------------------------------------------------------------

    [Theory]
    [InlineData("p:thumb~t.grey()", "t.resize(w:500)~t.blur(s:2)~t.grey()")]
    [InlineData("p.apply(n:thumb)", "t.resize(w:500)~t.blur(s:2)")]
    [InlineData("p:thumb()", "t.resize(w:500)~t.blur(s:2)")]
    [InlineData("p:sized", "t.resize(w:100,h:200)~t.toFormat(f:webp)")]
    [InlineData("p:sized(w:300)", "t.resize(w:300,h:200)~t.toFormat(f:webp)")]
    [InlineData("p:sized(w:300,h:50,fmt:jpeg)", "t.resize(w:300,h:50)~t.toFormat(f:jpeg)")]
    [InlineData("t.flip()~p:sized(h:10)~t.flop()", "t.flip()~t.resize(w:100,h:10)~t.toFormat(f:webp)~t.flop()")]
    public void Expand_SpecRow_GivesTheSpecOutput(string pattern, string expected)
    {
        var expanded = Expand(pattern);

        Assert.Equal(expected, expanded.ToString());
        Assert.False(expanded.HasPresets);
        Assert.Equal(expanded.Elements, expanded.Calls);
    }

    [Fact]
    public void Expand_ApplyWithArguments_AppliesThemUnlikeTheSdk()
    {
        // Spec §6.5: the SDK ignores w:300 here and prints t.resize(w:100,...). We apply it, as p:sized(w:300) does.
        Assert.Equal("t.resize(w:300,h:200)~t.toFormat(f:webp)", Expand("p.apply(n:sized,w:300)").ToString());
    }

    [Theory]
    [InlineData("p:sized(w:abc)", "Value for 'w' in 'sized' must be a type of integer", 9)]
    [InlineData("p:sized(fmt:png)", "Value for 'fmt' in 'sized' must be a type of enum", 9)]
    [InlineData("p:missing", "Invalid preset: missing", 1)]
    [InlineData("p.apply(w:1)", "Missing param 'n' for preset: p.apply(w:1)", 1)]
    public void Expand_SpecErrorRow_ThrowsPresetErrorWithColumn(string pattern, string message, int column)
    {
        var error = Assert.Throws<CdnUrlException>(() => Expand(pattern));

        Assert.Equal(UrlErrorCode.Preset, error.Code);
        Assert.Equal(message, error.Message);
        Assert.Equal(column, error.Column);
    }

    // ---- Further rules ------------------------------------------------------------------------

    [Theory]
    [InlineData("t.flip()~p:sized(w:1.5)", "Value for 'w' in 'sized' must be a type of integer", 18)]
    [InlineData("p:sized(w:99999999999)", "Value for 'w' in 'sized' must be a type of integer", 9)]
    [InlineData("p:sized(fmt:JPEG)", "Value for 'fmt' in 'sized' must be a type of enum", 9)]
    [InlineData("p:sized(q:80)", "Unknown param 'q' for preset: sized", 9)]
    [InlineData("p:thumb(w:1)", "Unknown param 'w' for preset: thumb", 9)]
    [InlineData("p:Thumb", "Invalid preset: Thumb", 1)]
    [InlineData("t.flip()~p.apply(n:nope,w:1)", "Invalid preset: nope", 10)]
    [InlineData("p.apply(n:a.b)", "Invalid preset: a.b", 9)]
    [InlineData("p.apply()", "Missing param 'n' for preset: p.apply()", 1)]
    public void Expand_BadReference_ThrowsPresetErrorWithColumn(string pattern, string message, int column)
    {
        var error = Assert.Throws<CdnUrlException>(() => Expand(pattern));

        Assert.Equal(UrlErrorCode.Preset, error.Code);
        Assert.Equal(message, error.Message);
        Assert.Equal(column, error.Column);
    }

    [Fact]
    public void Expand_LongUnknownName_IsShortenedInTheMessage()
    {
        var error = Assert.Throws<CdnUrlException>(() => Expand("p:" + new string('x', 500)));

        Assert.Equal("Invalid preset: " + new string('x', 64) + "...", error.Message);
    }

    [Fact]
    public void Expand_DuplicateArgument_LastWins()
    {
        Assert.Equal("t.resize(w:2,h:200)~t.toFormat(f:webp)", Expand("p:sized(w:1,w:2)").ToString());
    }

    [Fact]
    public void Expand_DuplicateArgument_EachIsTypeChecked()
    {
        Assert.Equal(UrlErrorCode.Preset, Assert.Throws<CdnUrlException>(() => Expand("p:sized(w:x,w:2)")).Code);
    }

    [Fact]
    public void Expand_Columns_PointAtTheReferenceAndTheSupplyingArgument()
    {
        var expanded = Expand("t.flip()~p:sized(h:10)");

        Assert.Equal([1, 10, 10], expanded.Calls.Select(c => c.Column));
        var resize = expanded.Calls[1];
        Assert.Equal([new ArgumentSyntax("w", "100", 10), new ArgumentSyntax("h", "10", 18)], resize.Arguments);
        Assert.Equal([new ArgumentSyntax("f", "webp", 10)], expanded.Calls[2].Arguments);
    }

    [Fact]
    public void Expand_NoPresets_ReturnsTheSameInstance()
    {
        var pattern = PatternGrammar.Parse("t.flip()~t.flop()");

        Assert.Same(pattern, Expander.Expand(pattern));
        Assert.Same(PatternSyntax.Original, Expander.Expand(PatternSyntax.Original));
    }

    [Fact]
    public void Expand_OtherPCalls_AreLeftForTheBinder()
    {
        Assert.Equal("p.thumb()", Expand("p.thumb()").ToString());
    }

    [Fact]
    public void Expand_EmptyCatalog_RejectsEveryPreset()
    {
        var error = Assert.Throws<CdnUrlException>(() => new PresetExpander(PresetCatalog.Empty).Expand(PatternGrammar.Parse("p:thumb")));

        Assert.Equal("Invalid preset: thumb", error.Message);
    }

    [Fact]
    public void Expand_RequiredVariableMissing_Throws()
    {
        var catalog = new PresetCatalog([new PresetDefinition("need", "t.resize(w:$w)", [new PresetVariable("w", PresetVariableType.Integer)])]);
        var expander = new PresetExpander(catalog);

        var error = Assert.Throws<CdnUrlException>(() => expander.Expand(PatternGrammar.Parse("t.flip()~p:need")));

        Assert.Equal(UrlErrorCode.Preset, error.Code);
        Assert.Equal("Missing param 'w' for preset: need", error.Message);
        Assert.Equal(10, error.Column);
        Assert.Equal("t.resize(w:7)", expander.Expand(PatternGrammar.Parse("p:need(w:7)")).ToString());
    }

    [Theory]
    [InlineData(PresetVariableType.Integer, "-249", true)]
    [InlineData(PresetVariableType.Integer, "0", true)]
    [InlineData(PresetVariableType.Integer, "+5", false)]
    [InlineData(PresetVariableType.Integer, "2.5", false)]
    [InlineData(PresetVariableType.String, "any_thing-1.5", true)]
    [InlineData(PresetVariableType.Color, "ff0000", true)]
    [InlineData(PresetVariableType.Color, "FF000080", true)]
    [InlineData(PresetVariableType.Color, "fff", false)]
    [InlineData(PresetVariableType.Color, "gg0000", false)]
    [InlineData(PresetVariableType.Boolean, "true", true)]
    [InlineData(PresetVariableType.Boolean, "0", true)]
    [InlineData(PresetVariableType.Boolean, "yes", false)]
    [InlineData(PresetVariableType.File, "eU44YkFJOHlVMmZrWVRDOUNTRm1D", true)]
    [InlineData(PresetVariableType.File, "YSBm-b3Jl_c3Q==", true)]
    [InlineData(PresetVariableType.File, "a.png", false)]
    public void Expand_VariableType_ChecksTheArgument(PresetVariableType type, string value, bool valid)
    {
        var catalog = new PresetCatalog([new PresetDefinition("one", "t.x(v:$v)", [new PresetVariable("v", type)])]);
        var pattern = PatternGrammar.Parse($"p:one(v:{value})");

        var ok = new PresetExpander(catalog).TryExpand(pattern, out var expanded, out var error);

        Assert.Equal(valid, ok);
        if (valid)
        {
            Assert.Equal($"t.x(v:{value})", expanded!.ToString());
        }
        else
        {
            Assert.Equal($"Value for 'v' in 'one' must be a type of {PresetValuesName(type)}", error!.Message);
        }
    }

    [Fact]
    public void Expand_MoreThanMaxCallsAfterExpansion_ThrowsLimitExceededAtTheReference()
    {
        var text = string.Join('~', Enumerable.Repeat("p:thumb", 7)) + "~t.flip()~t.flop()";

        var error = Assert.Throws<CdnUrlException>(() => Expand(text));

        Assert.Equal(UrlErrorCode.LimitExceeded, error.Code);
        Assert.Equal("Pattern has more than 15 transformations after preset expansion.", error.Message);
        Assert.Equal((7 * 8) + 10, error.Column);
    }

    [Fact]
    public void Expand_ExactlyMaxCallsAfterExpansion_IsAccepted()
    {
        var text = string.Join('~', Enumerable.Repeat("p:thumb", 7)) + "~t.flip()";

        Assert.Equal(15, Expand(text).Calls.Count);
    }

    [Fact]
    public void Expand_ConfiguredLimit_IsUsed()
    {
        var expander = new PresetExpander(SpecPresets.Catalog, new PatternLimits { MaxCalls = 2 });

        Assert.Equal(2, expander.Expand(PatternGrammar.Parse("p:thumb")).Calls.Count);
        Assert.Equal(UrlErrorCode.LimitExceeded, Assert.Throws<CdnUrlException>(() => expander.Expand(PatternGrammar.Parse("p:thumb~t.flip()"))).Code);
    }

    [Fact]
    public void TryExpand_BadReference_ReturnsErrorWithoutThrowing()
    {
        var ok = Expander.TryExpand(PatternGrammar.Parse("p:missing"), out var expanded, out var error);

        Assert.False(ok);
        Assert.Null(expanded);
        Assert.Equal(UrlErrorCode.Preset, error!.Code);
    }

    private static string PresetValuesName(PresetVariableType type) => new PresetVariable("v", type).TypeName;
}
