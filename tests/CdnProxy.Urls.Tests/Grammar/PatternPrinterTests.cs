using System.Globalization;
using System.Text;
using CdnProxy.Urls.Grammar;

namespace CdnProxy.Urls.Tests.Grammar;

public class PatternPrinterTests
{
    private const string Letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string WordCharacters = Letters + "0123456789_";
    private const string PresetNameCharacters = WordCharacters + "-";

    [Theory]
    [InlineData("original", "original")]
    [InlineData("t.flip()", "t.flip()")]
    [InlineData("t.resize(h:600,w:800)~t.rotate(a:-249)", "t.resize(h:600,w:800)~t.rotate(a:-249)")]
    [InlineData("t.resize(w:1,w:2)", "t.resize(w:1,w:2)")]
    [InlineData("p:thumb", "p:thumb")]
    [InlineData("p:thumb()", "p:thumb")]
    [InlineData("p:sized(w:300,fmt:jpeg)~t.grey()", "p:sized(w:300,fmt:jpeg)~t.grey()")]
    [InlineData("p.apply(n:sized,w:300)", "p:sized(w:300)")]
    [InlineData("p.apply(n:thumb)", "p:thumb")]
    [InlineData("p.apply(w:1)", "p.apply(w:1)")]
    public void Print_ParsedPattern_GivesCanonicalText(string text, string expected)
    {
        var pattern = PatternGrammar.Parse(text);

        Assert.Equal(expected, PatternPrinter.Print(pattern));
        Assert.Equal(expected, pattern.ToString());
    }

    [Fact]
    public void Print_SingleElement_PrintsThatElement()
    {
        Assert.Equal("t.flip()", PatternPrinter.Print(new TransformationCall("t", "flip", [], 1)));
        Assert.Equal("p:a(x:1)", PatternPrinter.Print(new PresetReference("a", [new ArgumentSyntax("x", "1", 5)], 1)));
    }

    [Fact]
    public void PrintThenParse_RandomCanonicalPatterns_GiveTheSameTree()
    {
        var random = new Random(20240611);
        for (var i = 0; i < 2000; i++)
        {
            var text = RandomPattern(random, canonical: true);

            var parsed = PatternGrammar.Parse(text);
            var printed = PatternPrinter.Print(parsed);
            var reparsed = PatternGrammar.Parse(printed);

            Assert.Equal(text, printed);
            Assert.Equal(Describe(parsed, withColumns: true), Describe(reparsed, withColumns: true));
        }
    }

    [Fact]
    public void PrintThenParse_RandomNonCanonicalPatterns_GiveTheSameTreeUpToColumns()
    {
        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var text = RandomPattern(random, canonical: false);

            var parsed = PatternGrammar.Parse(text);
            var printed = PatternPrinter.Print(parsed);
            var reparsed = PatternGrammar.Parse(printed);

            Assert.Equal(Describe(parsed, withColumns: false), Describe(reparsed, withColumns: false));
            Assert.Equal(printed, PatternPrinter.Print(reparsed));
        }
    }

    /// <summary>A random valid pattern: 'original' now and then, otherwise 1-15 calls and preset references.</summary>
    private static string RandomPattern(Random random, bool canonical)
    {
        if (random.Next(20) == 0)
        {
            return "original";
        }

        var elements = new List<string>();
        var count = random.Next(1, 16);
        for (var i = 0; i < count; i++)
        {
            elements.Add(random.Next(3) == 0 ? RandomPreset(random, canonical) : RandomCall(random));
        }

        return string.Join('~', elements);
    }

    private static string RandomCall(Random random)
    {
        string plugin, name;
        do
        {
            plugin = Word(random, Letters, WordCharacters, 4);
            name = Word(random, Letters, WordCharacters, 8);
        }
        while (plugin == "p" && name == "apply");

        return plugin + "." + name + "(" + RandomArguments(random) + ")";
    }

    private static string RandomPreset(Random random, bool canonical)
    {
        var name = Word(random, PresetNameCharacters, PresetNameCharacters, 8);
        var arguments = RandomArguments(random);
        if (canonical)
        {
            return arguments.Length == 0 ? "p:" + name : "p:" + name + "(" + arguments + ")";
        }

        return random.Next(3) switch
        {
            0 => "p:" + name + "(" + arguments + ")",
            1 => "p.apply(n:" + name + (arguments.Length == 0 ? "" : "," + arguments) + ")",
            _ => arguments.Length == 0 ? "p:" + name : "p:" + name + "(" + arguments + ")",
        };
    }

    private static string RandomArguments(Random random)
    {
        var arguments = new List<string>();
        var count = random.Next(4);
        for (var i = 0; i < count; i++)
        {
            string key;
            do
            {
                key = Word(random, WordCharacters, WordCharacters, 5);
            }
            while (key == "n");

            arguments.Add(key + ":" + RandomValue(random));
        }

        return string.Join(',', arguments);
    }

    private static string RandomValue(Random random)
    {
        var length = random.Next(1, 12);
        var value = new StringBuilder(length);
        while (value.Length < length)
        {
            var c = (char)random.Next(0x21, 0x7f);
            if (c is not (',' or ')' or '(' or '~' or ':' or '/'))
            {
                value.Append(c);
            }
        }

        return value.ToString();
    }

    private static string Word(Random random, string first, string rest, int maxLength)
    {
        var length = random.Next(1, maxLength + 1);
        var word = new StringBuilder(length);
        word.Append(first[random.Next(first.Length)]);
        while (word.Length < length)
        {
            word.Append(rest[random.Next(rest.Length)]);
        }

        return word.ToString();
    }

    private static string Describe(PatternSyntax pattern, bool withColumns)
    {
        var text = new StringBuilder();
        foreach (var element in pattern.Elements)
        {
            text.Append(element switch
            {
                TransformationCall call => "call " + call.Plugin + "." + call.Name,
                PresetReference preset => "preset " + preset.Name,
                _ => "?",
            });
            if (withColumns)
            {
                text.Append(CultureInfo.InvariantCulture, $"@{element.Column}");
            }

            var arguments = element switch
            {
                TransformationCall call => call.Arguments,
                PresetReference preset => preset.Arguments,
                _ => [],
            };
            foreach (var argument in arguments)
            {
                text.Append(' ').Append(argument.Key).Append('=').Append(argument.Value);
                if (withColumns)
                {
                    text.Append(CultureInfo.InvariantCulture, $"@{argument.Column}");
                }
            }

            text.Append('\n');
        }

        return text.ToString();
    }
}
