using CdnProxy.Urls.Grammar;
using CdnProxy.Urls.Presets;

namespace CdnProxy.Urls.Tests.Presets;

public class PresetOptionsTests
{
    private static Dictionary<string, PresetOptions> SpecOptions()
    {
        var sized = new PresetOptions { Pattern = "t.resize(w:$w,h:$h)~t.toFormat(f:$fmt)" };
        sized.Variables["w"] = new PresetVariableOptions { Type = "integer", Default = "100" };
        sized.Variables["h"] = new PresetVariableOptions { Type = "Integer", Default = "200" };
        var fmt = new PresetVariableOptions { Type = "enum", Default = "webp" };
        fmt.Values.Add("jpeg");
        fmt.Values.Add("webp");
        sized.Variables["fmt"] = fmt;

        return new Dictionary<string, PresetOptions>
        {
            ["thumb"] = new() { Pattern = "t.resize(w:500)~t.blur(s:2)" },
            ["sized"] = sized,
        };
    }

    [Fact]
    public void FromOptions_SpecPresets_ExpandLikeTheSpec()
    {
        var expander = new PresetExpander(PresetCatalog.FromOptions(SpecOptions()));

        Assert.Equal(
            "t.resize(w:500)~t.blur(s:2)~t.resize(w:300,h:200)~t.toFormat(f:jpeg)",
            expander.Expand(PatternGrammar.Parse("p:thumb~p:sized(w:300,fmt:jpeg)")).ToString());
    }

    [Fact]
    public void ToDefinition_ConvertsTypesValuesAndDefaults()
    {
        var definition = SpecOptions()["sized"].ToDefinition("sized");

        Assert.Equal("sized", definition.Name);
        Assert.Equal(["fmt", "h", "w"], definition.Variables.Select(v => v.Name));
        var fmt = definition.Variables[0];
        Assert.Equal((PresetVariableType.Enum, "webp"), (fmt.Type, fmt.Default));
        Assert.Equal(["jpeg", "webp"], fmt.Values);
        Assert.Equal(PresetVariableType.Integer, definition.Variables[1].Type);
    }

    [Theory]
    [InlineData("")]
    [InlineData("float")]
    [InlineData("enum(jpeg,webp)")]
    public void FromOptions_UnknownType_ThrowsNamingPresetAndVariable(string type)
    {
        var options = new PresetOptions { Pattern = "t.resize(w:$w)" };
        options.Variables["w"] = new PresetVariableOptions { Type = type };

        var error = Assert.Throws<ArgumentException>(() => PresetCatalog.FromOptions(new Dictionary<string, PresetOptions> { ["p1"] = options }));

        Assert.Equal(
            $"Preset 'p1' has variable 'w' of unknown type '{type}': use integer, string, color, enum, boolean or file.",
            error.Message);
    }

    [Fact]
    public void FromOptions_InvalidPattern_ThrowsNamingThePreset()
    {
        var error = Assert.Throws<ArgumentException>(
            () => PresetCatalog.FromOptions(new Dictionary<string, PresetOptions> { ["broken"] = new() { Pattern = "" } }));

        Assert.StartsWith("Preset 'broken' has an invalid pattern:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromOptions_Empty_GivesEmptyCatalog()
    {
        Assert.Equal(0, PresetCatalog.FromOptions(new Dictionary<string, PresetOptions>()).Count);
    }
}
