using System.Diagnostics;
using CdnProxy.Urls.Workers;

namespace CdnProxy.Urls.Tests.Workers;

public class WorkerTranslatorTests
{
    private static WorkerRule Rule(string match, string pattern = "", string filePath = "{path}", string name = "") =>
        new() { Name = name, Match = match, Pattern = pattern, FilePath = filePath };

    [Fact]
    public void NoRules_PassesThePathThroughUnchanged()
    {
        var translator = new WorkerTranslator(new WorkerOptions());

        Assert.True(translator.IsPassThrough);
        Assert.Equal("t.resize(w:100)/a/b.jpg", translator.Translate("t.resize(w:100)/a/b.jpg"));
        Assert.Equal("misc/general/free/original/x.jpg", translator.Translate("misc/general/free/original/x.jpg"));
    }

    [Fact]
    public void DocsExample_PrefixesAFixedPattern()
    {
        // Pixelbin's docs: return "t.resize(h:400,w:300)/" + oldPath
        var translator = new WorkerTranslator([Rule("(?<path>.+)", "t.resize(h:400,w:300)")]);

        Assert.Equal("t.resize(h:400,w:300)/folder/image.jpeg", translator.Translate("folder/image.jpeg"));
    }

    [Fact]
    public void FirstMatchingRuleWins()
    {
        var translator = new WorkerTranslator(
        [
            Rule("thumbs/(?<path>.+)", "t.resize(w:100,h:100)"),
            Rule("(?<pattern>[^/]+)/(?<path>.+)", "{pattern}"),
            Rule("(?<path>.+)", "t.flip()"),
        ]);

        Assert.Equal("t.resize(w:100,h:100)/a.jpg", translator.Translate("thumbs/a.jpg"));
        Assert.Equal("t.flop()/b/c.jpg", translator.Translate("t.flop()/b/c.jpg"));
        Assert.Equal("t.flip()/d.jpg", translator.Translate("d.jpg"));
    }

    [Fact]
    public void NumberedGroupsAndFiltersInRuleTemplates()
    {
        var translator = new WorkerTranslator([Rule("([a-z]+)/([A-Za-z]+)\\.jpg", "t.toFormat(f:{1})", "pics/{2|lower}.jpg")]);

        Assert.Equal("t.toFormat(f:png)/pics/cat.jpg", translator.Translate("png/CAT.jpg"));
    }

    [Fact]
    public void NoMatchingRule_IsMalformedUrl()
    {
        var translator = new WorkerTranslator([Rule("a/(?<path>.+)")]);

        var error = Assert.Throws<CdnUrlException>(() => translator.Translate("b/c.jpg"));
        Assert.Equal(UrlErrorCode.MalformedUrl, error.Code);
        Assert.Equal("No worker rule matches this path", error.Message);
    }

    [Fact]
    public void MatchIsAnchored()
    {
        var translator = new WorkerTranslator([Rule("img/(?<path>[a-z]+\\.jpg)")]);

        Assert.Equal("original/a.jpg", translator.Translate("img/a.jpg"));
        Assert.Throws<CdnUrlException>(() => translator.Translate("x/img/a.jpg"));
        Assert.Throws<CdnUrlException>(() => translator.Translate("img/a.jpg.png"));
    }

    [Fact]
    public void InvalidTranslatedPattern_IsReportedClearly()
    {
        var translator = new WorkerTranslator([Rule("(?<pattern>[^/]+)/(?<path>.+)", "{pattern}")]);

        var error = Assert.Throws<CdnUrlException>(() => translator.Translate("resize:w200,h200/image.jpeg"));
        Assert.Equal(UrlErrorCode.MalformedUrl, error.Code);
        Assert.StartsWith("Worker path translates to an invalid pattern: Unexpected ':' at column 7", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyFilePath_IsRejected()
    {
        var translator = new WorkerTranslator([Rule("(?<path>[a-z]*)/?")]);

        Assert.Throws<CdnUrlException>(() => translator.Translate("/"));
    }

    [Fact]
    public void SpecWorkerPath_WithAnOptionRule()
    {
        // §1.3: resize:w200,h200/image.jpeg and resize:h100,w:200/folder/image.jpeg
        var rule = Rule("resize:(?<options>[^/]*)/(?<path>.+)");
        rule.Options = new WorkerOptionList { KeyValueSeparator = ":" };
        rule.Options.Map.Add(Option("t.resize(w:{v|int})", "w"));
        rule.Options.Map.Add(Option("t.resize(h:{v|int})", "h"));
        var translator = new WorkerTranslator([rule]);

        // "w200" has no ':' so its key is the whole item: an unknown option.
        Assert.Throws<CdnUrlException>(() => translator.Translate("resize:w200,h200/image.jpeg"));
        Assert.Equal("t.resize(w:200,h:100)/folder/image.jpeg", translator.Translate("resize:h:100,w:200/folder/image.jpeg"));
    }

    [Fact]
    public void Options_MergeIntoOneCallPerOperation_InMapOrder_LastValueWins()
    {
        var rule = Rule("(?<options>[^/]*)/(?<path>.+)");
        rule.Options = new WorkerOptionList();
        rule.Options.Map.Add(Option("t.resize(w:{v})", "w"));
        rule.Options.Map.Add(Option("t.resize(h:{v})", "h"));
        rule.Options.Map.Add(Option("t.flip()", "flip"));
        rule.Options.Map.Add(Option("t.compress(q:{v})", "q"));
        var translator = new WorkerTranslator([rule]);

        Assert.Equal("t.resize(w:1,h:3)~t.flip()~t.compress(q:9)/x.jpg", translator.Translate("q_9,flip,h_2,w_1,h_3/x.jpg"));
        Assert.Equal("t.resize(w:1,h:3)~t.flip()~t.compress(q:9)/x.jpg", translator.Translate("w_1,h_3,flip,q_9/x.jpg"));
    }

    [Fact]
    public void Options_ModifiersAndDefaults_OnlyExtendCallsThatExist()
    {
        var rule = Rule("(?<options>[^/]*)/(?<path>.+)");
        rule.Options = new WorkerOptionList();
        rule.Options.Defaults.Add("c_x");
        rule.Options.Map.Add(Option("t.resize(w:{v})", "w"));
        rule.Options.Map.Add(new WorkerOption { Pattern = "t.resize(f:{v|fit})", Modifies = true, Keys = { "c" } });
        rule.Options.Map.Add(Option("t.rotate(a:{v})", "a"));
        rule.Options.Values["fit"] = new Dictionary<string, string> { ["x"] = "fill", ["y"] = "cover" };
        var translator = new WorkerTranslator([rule]);

        Assert.Equal("t.resize(w:5,f:fill)/x.jpg", translator.Translate("w_5/x.jpg"));
        Assert.Equal("t.resize(w:5,f:cover)/x.jpg", translator.Translate("c_y,w_5/x.jpg"));
        Assert.Equal("t.rotate(a:90)/x.jpg", translator.Translate("c_y,a_90/x.jpg"));
        Assert.Equal("original/x.jpg", translator.Translate("c_y/x.jpg"));
    }

    [Fact]
    public void Options_ValuesCannotInjectPatternSyntax()
    {
        var rule = Rule("(?<options>[^/]*)/(?<path>.+)");
        rule.Options = new WorkerOptionList { Separator = ";", KeyValueSeparator = "=" };
        rule.Options.Map.Add(Option("t.resize(w:{v})", "w"));
        var translator = new WorkerTranslator([rule]);

        var error = Assert.Throws<CdnUrlException>(() => translator.Translate("w=1,h:2)~t.flip(/x.jpg"));
        Assert.Equal("Unsupported value for worker option 'w'", error.Message);
    }

    [Fact]
    public void Options_UnknownKeysCanBeIgnored_AndEmptyArgumentsAreLeftOut()
    {
        var rule = Rule("(?<options>[^/]*)/(?<path>.+)");
        rule.Options = new WorkerOptionList { IgnoreUnknown = true, ArgumentSeparator = ":", KeyValueSeparator = "=" };
        rule.Options.Map.Add(Option("t.resize(w:{v1|int},h:{v2|int})", "s"));
        var translator = new WorkerTranslator([rule]);

        Assert.Equal("t.resize(h:20)/x.jpg", translator.Translate("zz=1,s=:20/x.jpg"));
        Assert.Equal("t.resize(w:10)/x.jpg", translator.Translate("s=10/x.jpg"));
    }

    [Fact]
    public void PathologicalInput_ReturnsFast()
    {
        // (a+)+b backtracks exponentially on "aaaa…c"; the non-backtracking engine is linear.
        var translator = new WorkerTranslator([Rule("(?<path>(a+)+b)"), Rule("(?<path>(x|x)*y)")]);
        var input = new string('a', 50_000) + "c";

        var watch = Stopwatch.StartNew();
        Assert.Throws<CdnUrlException>(() => translator.Translate(input));
        Assert.Throws<CdnUrlException>(() => translator.Translate(new string('x', 50_000) + "!"));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Theory]
    [InlineData("", "{path}", "Worker rule 1 ('r'): Match is empty.")]
    [InlineData("(?<path>.+", "{path}", "Worker rule 1 ('r'): Match is not a valid non-backtracking regex")]
    [InlineData("(?<path>.+)\\1", "{path}", "Worker rule 1 ('r'): Match is not a valid non-backtracking regex")]
    [InlineData("(?=a)(?<path>.+)", "{path}", "Worker rule 1 ('r'): Match is not a valid non-backtracking regex")]
    [InlineData("(?<path>.+)", "{file}", "Worker rule 1 ('r') FilePath: group 'file' is not defined by Match.")]
    [InlineData("(?<path>.+)", "{3}", "Worker rule 1 ('r') FilePath: group '3' is not defined by Match.")]
    [InlineData("(?<path>.+)", "", "Worker rule 1 ('r'): FilePath is empty.")]
    [InlineData("(?<path>.+)", "{path", "Worker rule 1 ('r') FilePath: '{' at position 1 is not closed.")]
    [InlineData("(?<path>.+)", "{path|nope}", "Worker rule 1 ('r') FilePath: filter 'nope' is neither built in nor a map in Options.Values.")]
    public void InvalidRules_AreRejectedAtConstruction(string match, string filePath, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => new WorkerTranslator([Rule(match, filePath: filePath, name: "r")]));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidOptionLists_AreRejectedAtConstruction()
    {
        static string Error(Action<WorkerOptionList> configure)
        {
            var rule = Rule("(?<options>[^/]*)/(?<path>.+)");
            rule.Options = new WorkerOptionList();
            configure(rule.Options);
            return Assert.Throws<ArgumentException>(() => new WorkerTranslator([rule])).Message;
        }

        Assert.Equal("Worker rule 1 Options.Group: group 'opts' is not defined by Match.", Error(o => o.Group = "opts"));
        Assert.Equal("Worker rule 1 Options.Separator is empty.", Error(o => o.Separator = ""));
        Assert.Equal("Worker rule 1 Options.Map[0] has no Keys.", Error(o => o.Map.Add(new WorkerOption { Pattern = "t.flip()" })));
        Assert.Equal("Worker rule 1 Options.Map[0]: needs a Pattern or Cases.", Error(o => o.Map.Add(new WorkerOption { Keys = { "w" } })));
        Assert.StartsWith("Worker rule 1 Options.Map[0] Pattern: 't.resize(w:{v}' is not a chain of calls", Error(o => o.Map.Add(Option("t.resize(w:{v}", "w"))), StringComparison.Ordinal);
        Assert.Equal("Worker rule 1 Options.Map[0] Pattern: '{' at position 1 is not closed.", Error(o => o.Map.Add(Option("t.resize(w:{v)", "w"))));
        Assert.StartsWith("Worker rule 1 Options.Map[0] Pattern: 'p:thumb' is not a chain of calls", Error(o => o.Map.Add(Option("p:thumb", "w"))), StringComparison.Ordinal);
        Assert.Equal("Worker rule 1 Options.Map[0] Pattern: placeholder 'x' must be v or v1…v9.", Error(o => o.Map.Add(Option("t.resize(w:{x})", "w"))));
        Assert.Equal("Worker rule 1 Options.Map[0] Pattern: filter 'fit' is neither built in nor a map in Options.Values.", Error(o => o.Map.Add(Option("t.resize(f:{v|fit})", "c"))));
        Assert.Equal("Worker rule 1 Options.Map[1]: key 'w' is empty or used twice.", Error(o =>
        {
            o.Map.Add(Option("t.resize(w:{v})", "w"));
            o.Map.Add(Option("t.resize(h:{v})", "w"));
        }));
        Assert.Equal("Worker rule 1 Options.Defaults: 'c_fill' has no key in Map.", Error(o => o.Defaults.Add("c_fill")));
        Assert.Equal("Worker rule 1 Options.Append[0]: group 'ext' is not defined by Match.", Error(o => o.Append.Add("f:{ext}")));
    }

    [Fact]
    public void ErrorsNameTheRuleByPosition()
    {
        var error = Assert.Throws<ArgumentException>(() => new WorkerTranslator([Rule("(?<path>.+)"), Rule("(")]));
        Assert.StartsWith("Worker rule 2:", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("#FFF", "ffffff")]
    [InlineData("rgb:00ff0080", "00ff0080")]
    [InlineData("abcd", "aabbccdd")]
    [InlineData("ABCDEF", "abcdef")]
    public void ColorFilter_Normalises(string value, string expected)
    {
        var rule = Rule("(?<options>[^/]*)/(?<path>.+)");
        rule.Options = new WorkerOptionList { Separator = ";", KeyValueSeparator = "=" };
        rule.Options.Map.Add(Option("t.flatten(b:{v|color})", "bg"));

        Assert.Equal($"t.flatten(b:{expected})/x.png", new WorkerTranslator([rule]).Translate($"bg={value}/x.png"));
    }

    private static WorkerOption Option(string pattern, string key) => new() { Pattern = pattern, Keys = { key } };
}
