using CdnProxy.Urls.Client;
using CdnProxy.Urls.Grammar;
using CdnProxy.Urls.Paths;

namespace CdnProxy.Urls.Tests.Client;

/// <summary>A built pattern is read back by the server's grammar as the same operations and values, or not built at all.</summary>
public class BuiltPatternTests
{
    [Theory]
    [InlineData("300", "300", "300")]
    [InlineData("[[1_2_3_4]_[5_6_7_8]]", "[[1_2_3_4]_[5_6_7_8]]", "[[1_2_3_4]_[5_6_7_8]]")]
    [InlineData("Zm9vL2Jhcg==", "Zm9vL2Jhcg==", "Zm9vL2Jhcg==")]
    [InlineData("a?b", "a%3Fb", "a?b")]
    [InlineData("a#b", "a%23b", "a#b")]
    [InlineData("50%", "50%25", "50%")]
    [InlineData("%zz", "%25zz", "%zz")]
    [InlineData("%252F", "%252F", "%2F")]
    [InlineData("%41", "%41", "A")] // URL text, as UrlToObj returns values: the escape is the server's to decode
    public void Value_IsReadBackByTheServersGrammar(string value, string written, string served)
    {
        var url = PixelbinUrls.ObjToUrl(new PixelbinUrlObject
        {
            CloudName = "demo",
            FilePath = "a.jpg",
            Transformations = [new("t", "resize", [new("w", "1"), new("x", value)]), new("t", "flip")],
        });

        Assert.Equal($"https://cdn.pixelbin.io/v2/demo/t.resize(w:1,x:{written})~t.flip()/a.jpg", url);
        var pattern = PatternGrammar.Parse(CdnUrlSplitter.Split(BuiltPathTests.ServerPath(url)).PatternText);
        Assert.Equal(
            [("t.resize", "w", "1"), ("t.resize", "x", served)],
            pattern.Calls[0].Arguments.Select(a => (pattern.Calls[0].QualifiedName, a.Key, a.Value)));
        Assert.Equal("t.flip", Assert.Single(pattern.Calls.Skip(1)).QualifiedName);
        // The SDK's parser gives back the values as written, so parse and build round-trip too.
        Assert.Equal(url, PixelbinUrls.ObjToUrl(PixelbinUrls.UrlToObj(url)));
    }

    [Theory]
    [InlineData("a b", "argument values cannot contain a space")]
    [InlineData("a%20b", "argument values cannot contain a space")]
    [InlineData("a/b", "'/' (or %2F) would end the pattern's path segment, and argument values have no escape for it")]
    [InlineData("a%2Fb", "'/' (or %2F) would end the pattern's path segment, and argument values have no escape for it")]
    [InlineData("a(b", "'(' delimits the pattern's calls and arguments, and argument values have no escape for it")]
    [InlineData("a)b", "')' delimits the pattern's calls and arguments, and argument values have no escape for it")]
    [InlineData("a,b", "',' delimits the pattern's calls and arguments, and argument values have no escape for it")]
    [InlineData("a%2Cb", "',' delimits the pattern's calls and arguments, and argument values have no escape for it")]
    [InlineData("a:b", "':' delimits the pattern's calls and arguments, and argument values have no escape for it")]
    [InlineData("a~b", "'~' delimits the pattern's calls and arguments, and argument values have no escape for it")]
    [InlineData("caf\u00e9", "argument values are visible ASCII characters, not U+00E9")]
    [InlineData("a%00", "argument values are visible ASCII characters, not U+0000")]
    public void Value_TheServerCouldNotReadBack_IsRefusedSayingWhy(string value, string reason)
    {
        var error = Assert.Throws<PixelbinUrlException>(() => PixelbinUrls.PatternOf([new("t", "resize", [new("w", value)])]));

        Assert.Equal((PixelbinErrorKind.IllegalArgument, $"value '{value}' of key 'w' in 'resize' cannot be written: {reason}"), (error.Kind, error.Message));
    }

    [Theory]
    [InlineData("t", "resize", "w?", "key 'w?' in 'resize' cannot be written: argument keys are letters, digits and '_'")]
    [InlineData("t", "resize", "w-x", "key 'w-x' in 'resize' cannot be written: argument keys are letters, digits and '_'")]
    [InlineData("t", "re/size", "w", "operation 't.re/size' cannot be written: plugin and operation names are a letter, then letters, digits and '_'")]
    [InlineData("t?", "resize", "w", "operation 't?.resize' cannot be written: plugin and operation names are a letter, then letters, digits and '_'")]
    [InlineData("t", "re-size", "w", "operation 't.re-size' cannot be written: plugin and operation names are a letter, then letters, digits and '_'")]
    [InlineData("2t", "resize", "w", "operation '2t.resize' cannot be written: plugin and operation names are a letter, then letters, digits and '_'")]
    [InlineData("t", "_resize", "w", "operation 't._resize' cannot be written: plugin and operation names are a letter, then letters, digits and '_'")]
    [InlineData("p", "my.preset", "w", "operation 'p.my.preset' cannot be written: preset names are letters, digits, '_' and '-'")]
    [InlineData("p", "apply", "w", "operation 'p.apply' cannot be written: p.apply needs the preset's name as its n argument, e.g. p.apply(n:thumb)")]
    public void NameOrKey_TheUrlCouldNotCarry_IsRefused(string plugin, string name, string key, string message)
    {
        var error = Assert.Throws<PixelbinUrlException>(() => PixelbinUrls.PatternOf([new(plugin, name, [new(key, "1")])]));

        Assert.Equal(message, error.Message);
        // Custom stays lenient (PixelbinImage removes spaces first, as the SDK does); the pattern it writes is checked.
        Assert.Throws<PixelbinUrlException>(() => Transformation.Custom(plugin, name, new KeyValuePair<string, string?>(key, "1")).ToString());
    }

    [Theory]
    [InlineData("p", "thumb-2", "p:thumb-2")] // preset names may have '-' and start with a digit
    [InlineData("p", "2x", "p:2x")]
    [InlineData("p", "apply", "p.apply(n:thumb-2,w:1)")]
    [InlineData("vertexAi", "generate_bg", "vertexAi.generate_bg()")]
    public void NameTheServerReads_IsWritten(string plugin, string name, string expected)
    {
        PixelbinValue[]? values = name == "apply" ? [new("n", "thumb-2"), new("w", "1")] : null;

        Assert.Equal(expected, PixelbinUrls.PatternOf([new(plugin, name, values)]));
        Assert.True(CdnProxy.Urls.Grammar.PatternGrammar.TryParse(expected, out _, out _));
    }

    [Fact]
    public void PresetOfApply_ThatIsNotAPresetName_IsRefused()
    {
        var error = Assert.Throws<PixelbinUrlException>(() => PixelbinUrls.PatternOf([new("p", "apply", [new("n", "a.b")])]));

        Assert.Equal("operation 'p.apply' cannot be written: its preset 'n:a.b': preset names are letters, digits, '_' and '-'", error.Message);
    }

    [Fact]
    public void Builders_EscapeValuesAsObjToUrlDoes()
    {
        var image = new PixelbinImage("demo", "a.jpg")
        {
            Rules = PatternRules.AnyOperation, // t.x: any operation, this is about escaping
            Transformation = Transformation.Custom("t", "x", new KeyValuePair<string, string?>("q", "50%?")),
        };

        Assert.Equal("https://cdn.pixelbin.io/v2/demo/t.x(q:50%25%3F)/a.jpg", image.GetUrl());
        Assert.Throws<PixelbinUrlException>(() => Transformation.Custom("t", "x", new KeyValuePair<string, string?>("q", "a,b")).ToString());
    }
}
