using CdnProxy.Urls.Presets;

namespace CdnProxy.Urls.Tests.Presets;

public class PresetCatalogTests
{
    private static PresetVariable Int(string name, string? defaultValue = null) => new(name, PresetVariableType.Integer, defaultValue);

    [Fact]
    public void Constructor_SpecPresets_AreFound()
    {
        var catalog = SpecPresets.Catalog;

        Assert.Equal(2, catalog.Count);
        Assert.Equal(["sized", "thumb"], catalog.Names.Order(StringComparer.Ordinal));
        Assert.True(catalog.TryGet("sized", out var sized));
        Assert.Same(SpecPresets.Sized, sized);
        Assert.False(catalog.TryGet("Sized", out _));
    }

    public static TheoryData<PresetDefinition[], string> InvalidCatalogs() => new()
    {
        { [new("thumb", "t.flip()"), new("thumb", "t.flop()")], "Duplicate preset name 'thumb'." },
        { [new("a b", "t.flip()")], "Preset name 'a b' is not valid: use letters, digits, '_' or '-'." },
        { [new("", "t.flip()")], "Preset name '' is not valid: use letters, digits, '_' or '-'." },
        { [new("bad", "t.flip")], "Preset 'bad' has an invalid pattern: Unexpected end of pattern at column 7; expected '('." },
        { [new("empty", "original")], "Preset 'empty' has no transformations ('original')." },
        { [new("big", string.Join('~', Enumerable.Repeat("t.flip()", 16)))], "Preset 'big' has an invalid pattern: Pattern has more than 15 transformations." },
        { [new("nest", "t.flip()~p:thumb")], "Preset 'nest' references another preset at column 10; presets cannot contain presets." },
        { [new("nest", "p.apply(n:thumb)")], "Preset 'nest' references another preset at column 1; presets cannot contain presets." },
        { [new("nest", "p.apply(w:1)")], "Preset 'nest' references another preset at column 1; presets cannot contain presets." },
        { [new("undeclared", "t.resize(w:$w,h:$h)", [Int("w", "1")])], "Preset 'undeclared' uses undeclared variable '$h' at column 15." },
        { [new("placeholder", "t.resize(w:$)")], "Preset 'placeholder' has an invalid placeholder '$' at column 10." },
        { [new("placeholder", "t.resize(w:$a-b)", [Int("a")])], "Preset 'placeholder' has an invalid placeholder '$a-b' at column 10." },
        { [new("twice", "t.resize(w:$w)", [Int("w"), Int("w")])], "Preset 'twice' declares variable 'w' twice." },
        { [new("name", "t.flip()", [Int("a-b")])], "Preset 'name' has an invalid variable name 'a-b': use letters, digits or '_'." },
        { [new("def", "t.resize(w:$w)", [Int("w", "abc")])], "Preset 'def' has default 'abc' for 'w', which must be a type of integer." },
        { [new("def", "t.x(c:$c)", [new PresetVariable("c", PresetVariableType.Color, "red")])], "Preset 'def' has default 'red' for 'c', which must be a type of color." },
        { [new("def", "t.x(f:$f)", [new PresetVariable("f", PresetVariableType.Enum, "png") { Values = ["jpeg"] }])], "Preset 'def' has default 'png' for 'f', which must be a type of enum." },
        { [new("def", "t.x(s:$s)", [new PresetVariable("s", PresetVariableType.String, "a/b")])], "Preset 'def' has default 'a/b' for 's', which must be a type of string." },
        { [new("enum", "t.x(f:$f)", [new PresetVariable("f", PresetVariableType.Enum)])], "Preset 'enum' has enum variable 'f' without values." },
        { [new("enum", "t.x(f:$f)", [new PresetVariable("f", PresetVariableType.Enum) { Values = ["a", "b~c"] }])], "Preset 'enum' has enum variable 'f' with value 'b~c' that cannot be written in a URL." },
        { [new("vals", "t.x(w:$w)", [new PresetVariable("w", PresetVariableType.Integer) { Values = ["1"] }])], "Preset 'vals' has values on variable 'w', which is not an enum." },
    };

    [Theory]
    [MemberData(nameof(InvalidCatalogs))]
    public void Constructor_InvalidDefinition_ThrowsArgumentExceptionNamingIt(PresetDefinition[] definitions, string message)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new PresetCatalog(definitions));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_UnusedVariableAndLiteralDollarInside_AreAllowed()
    {
        var catalog = new PresetCatalog([new PresetDefinition("ok", "t.x(v:a$b)", [Int("unused", "1")])]);

        Assert.Equal(1, catalog.Count);
    }

    [Fact]
    public void Constructor_FifteenTransformations_IsAccepted()
    {
        var catalog = new PresetCatalog([new PresetDefinition("max", string.Join('~', Enumerable.Repeat("t.flip()", 15)))]);

        Assert.Equal(1, catalog.Count);
    }

    [Fact]
    public void Constructor_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => new PresetCatalog(null!));
        Assert.ThrowsAny<ArgumentException>(() => new PresetCatalog([null!]));
    }
}
