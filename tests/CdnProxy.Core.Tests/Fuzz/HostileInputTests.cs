using System.Diagnostics;
using System.Globalization;
using System.Text;
using CdnProxy.Core.Planning;
using CdnProxy.Core.Caching;
using CdnProxy.Core.Pipeline;
using CdnProxy.Core.Transformations;
using CdnProxy.Urls;
using CdnProxy.Urls.Grammar;
using CdnProxy.Urls.Paths;
using CdnProxy.Urls.Presets;
using CdnProxy.Urls.Security;

namespace CdnProxy.Core.Tests.Fuzz;

/// <summary>
/// Throws random and mutated URLs and patterns at the request front end (split → verify → parse → preset expand →
/// bind → key) and checks that every failure is a typed client error, never a crash of the parsing code.
/// </summary>
[Collection(HostileInputTiming.Name)]
public class HostileInputTests
{
    private const int Iterations = 100_000;
    private const int Seed = 20_260_611;

    /// <summary>The error kinds a bad URL may produce: all of them are the client's fault (4xx).</summary>
    private static readonly HashSet<CdnErrorKind> ClientErrorKinds =
    [
        CdnErrorKind.MalformedUrl, CdnErrorKind.PatternSyntax, CdnErrorKind.UnknownTransformation,
        CdnErrorKind.InvalidArgument, CdnErrorKind.LimitExceeded,
    ];

    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    private static readonly SigningKeyRing Ring = new([new("ak-1", "tok-1"), new("ak-2", "tok_two")]);
    private static readonly RenderPlanBinder Binder = new(TransformationCatalog.Default);

    private static readonly PresetExpander Expander = new(new PresetCatalog(
    [
        new PresetDefinition(
            "thumb",
            "t.resize(w:$w,h:$h,f:$fit)~t.toFormat(f:$fmt,q:$q)",
            [
                new PresetVariable("w", PresetVariableType.Integer, "100"),
                new PresetVariable("h", PresetVariableType.Integer, "0"),
                new PresetVariable("fit", PresetVariableType.Enum, "cover") { Values = ["cover", "contain", "fill"] },
                new PresetVariable("fmt", PresetVariableType.Enum, "webp") { Values = ["jpeg", "webp", "png"] },
                new PresetVariable("q", PresetVariableType.String, "good"),
            ]),
        new PresetDefinition("mirror", "t.flip()~t.flop()"),
        new PresetDefinition(
            "spin",
            "t.rotate(a:$a,b:$bg)",
            [new PresetVariable("a", PresetVariableType.Integer), new PresetVariable("bg", PresetVariableType.Color, "ffffff")]),
    ]));

    private static readonly string[] Patterns =
    [
        "original",
        "t.resize(w:300,h:200,f:contain,b:ff0000,p:right_top,k:cubic,dpr:2.5)",
        "t.resize(w:300)~t.flip()~t.flop()~t.rotate(a:-270,b:00ff0080)~t.toFormat(f:webp,q:good)~t.compress(q:55)",
        "t.rotate(a:450)~t.resize(h:120,f:inside)",
        "p:thumb",
        "p:thumb(w:64,fmt:png)~t.flip()",
        "p.apply(n:spin,a:90)~p:mirror()",
        "t.toFormat(f:jpg)~p:spin(a:-45,bg:FFFFFF)",
        "t.resize(w:007,h:0,w:8)",
        "t.compress()",
        "p.apply(n:thumb,n:spin,w:1)~p.apply(w:1)~p.apply(n:thumb!)",
        "p:spin(a:99999999999)~p:thumb(w:-1,q:$w)",
    ];

    private static readonly string[] Files = ["a.jpg", "dir/sub/b%20c.png", "caf%C3%A9/%E6%97%A5.webp", "x"];

    private static readonly string[] Fragments =
    [
        "(", ")", "~", ",", ":", "[", "]", "_", ".", "/", "//", "%", "%2", "%zz", "%25", "%2F", "%28", "%7E", "%C3%A9",
        "%ED%A0%80", "%00", "%0A", "t.", "p:", "p.apply(", "n:", "t.resize(", "w:", "-", "+", "$", "\\", "..", "original",
        "é", "😀", "\ud800", "\udc00", "\u202e", "\ufeff", "\0", "\n", "\r", "\t", "\u007f", "\u0085", " ", "?", "&", "#",
        "dpr=", "pbs=", "pbe=", "pbt=", "1e309", "NaN", "-0", "2147483648", "99999999999999999999", "0x10", "1,5", "٣",
    ];

    private static readonly char[] RunCharacters = ['(', ')', '~', ',', ':', '[', ']', '_', '%', 'a', '9', '.', '/', '-', 'é', '\0'];

    [Fact]
    public void FrontEnd_RandomAndMutatedInputs_FailOnlyWithTypedClientErrors()
    {
        var random = new Random(Seed);
        var seeds = SeedUrls();
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        var failures = new List<string>();
        var watch = Stopwatch.StartNew();

        for (var i = 0; i < Iterations && failures.Count < 10; i++)
        {
            string path, query;
            switch (i % 5)
            {
                case 0:
                    (path, query) = (RandomText(random, random.Next(0, 120)), RandomText(random, random.Next(0, 40)));
                    break;
                case 1:
                case 2:
                    var (seedPath, seedQuery) = seeds[random.Next(seeds.Length)];
                    (path, query) = random.Next(4) == 0 ? (seedPath, Mutate(random, seedQuery)) : (Mutate(random, seedPath), seedQuery);
                    break;
                default:
                    (path, query) = ("/v2/demo/" + Mutate(random, Patterns[random.Next(Patterns.Length)]) + "/" + Files[random.Next(Files.Length)], "");
                    break;
            }

            try
            {
                Count(outcomes, Run(path, query));
            }
#pragma warning disable CA1031 // Anything that escapes is exactly what this test reports.
            catch (Exception e)
#pragma warning restore CA1031
            {
                failures.Add($"#{i} {Show(path)}?{Show(query)}: {e.GetType().Name}: {e.Message}");
            }
        }

        Assert.True(failures.Count == 0, "Untyped failures:\n" + string.Join('\n', failures));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"Fuzzing took {watch.Elapsed}.");

        // The fuzzer must reach every stage, or it proves nothing about the later ones.
        foreach (var outcome in new[] { "ok", "url:MalformedUrl", "url:PatternSyntax", "url:Preset", "cdn:InvalidArgument", "cdn:UnknownTransformation" })
        {
            Assert.True(outcomes.GetValueOrDefault(outcome) > 100, $"Outcome {outcome} was reached only {outcomes.GetValueOrDefault(outcome)} times: {string.Join(", ", outcomes)}");
        }
    }

    [Fact]
    public void Parse_RandomAndMutatedPatterns_FailOnlyWithTypedClientErrors()
    {
        var random = new Random(Seed + 1);
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        var failures = new List<string>();
        var generous = new PatternLimits { MaxLength = 200_000, MaxCalls = 1_000 };

        for (var i = 0; i < Iterations / 2 && failures.Count < 10; i++)
        {
            var pattern = i % 4 == 0 ? RandomText(random, random.Next(0, 60)) : Mutate(random, Patterns[random.Next(Patterns.Length)]);
            try
            {
                Count(outcomes, RunPattern(pattern, i % 2 == 0 ? PatternLimits.Default : generous));
            }
#pragma warning disable CA1031 // Anything that escapes is exactly what this test reports.
            catch (Exception e)
#pragma warning restore CA1031
            {
                failures.Add($"#{i} {Show(pattern)}: {e.GetType().Name}: {e.Message}");
            }
        }

        Assert.True(failures.Count == 0, "Untyped failures:\n" + string.Join('\n', failures));
        Assert.True(outcomes.GetValueOrDefault("ok") > 200, string.Join(", ", outcomes));
    }

    public static TheoryData<string> PathologicalPatterns => new(PathologicalPatternNames);

    /// <summary>
    /// Each 100 KB pattern is rejected with a typed error in under 50 ms (median of 5 after a warm-up), as a whole URL
    /// and as a pattern parsed with the default limits. With the limits lifted, the grammar and binder still give a
    /// typed error, under 50 ms for the longest pattern a URL path can carry and without blowing up at 100 KB.
    /// </summary>
    [Theory]
    [MemberData(nameof(PathologicalPatterns))]
    public void Pathological100KbPattern_IsRejectedQuicklyWithTypedError(string name)
    {
        var pattern = Pathological(name, 100 * 1024);
        var longestInUrl = Pathological(name, CdnUrlSplitter.MaxPathLength);
        var unlimited = new PatternLimits { MaxLength = int.MaxValue, MaxCalls = int.MaxValue };

        var viaUrl = MedianMilliseconds(() => ExpectTypedError(() => Run("/v2/demo/" + pattern + "/a.jpg", "dpr=2")));
        var viaDefaultLimits = MedianMilliseconds(() => ExpectTypedError(() => RunPattern(pattern, PatternLimits.Default)));
        var viaGrammarAtUrlSize = MedianMilliseconds(() => ExpectTypedError(() => RunPattern(longestInUrl, unlimited)));
        var viaGrammarAt100Kb = MedianMilliseconds(() => ExpectTypedError(() => RunPattern(pattern, unlimited)));

        Assert.True(viaUrl < 50, $"{name}: the whole URL took {viaUrl} ms");
        Assert.True(viaDefaultLimits < 50, $"{name}: parsing with the default limits took {viaDefaultLimits} ms");
        Assert.True(viaGrammarAtUrlSize < 50, $"{name}: parsing {longestInUrl.Length} characters without limits took {viaGrammarAtUrlSize} ms");
        Assert.True(viaGrammarAt100Kb < 1_000, $"{name}: parsing 100 KB without limits took {viaGrammarAt100Kb} ms");
    }

    private static readonly string[] PathologicalPatternNames =
    [
        "nested-parens", "repeated-open-call", "tildes", "long-number", "long-word-value", "long-argument-list",
        "long-operation-name", "long-preset-name", "many-flips-unclosed", "percent", "unicode", "long-key",
    ];

    private static string Pathological(string name, int size)
    {
        return name switch
        {
            "nested-parens" => new string('(', size),
            "repeated-open-call" => Repeat("t.a(", size),
            "tildes" => new string('~', size),
            "long-number" => "t.resize(w:" + new string('9', size) + ")",
            "long-word-value" => "t.resize(f:" + new string('a', size) + ")",
            "long-argument-list" => "t.resize(" + Repeat("w:1,", size) + ")",
            "long-operation-name" => "t." + new string('r', size) + "()",
            "long-preset-name" => "p:" + new string('x', size),
            "many-flips-unclosed" => Repeat("t.flip()~", size) + "t.flip(",
            "percent" => new string('%', size),
            "unicode" => Repeat("t.resize(w:é😀\ud800)", size),
            "long-key" => "t.resize(" + new string('k', size) + ":1)",
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
        };
    }

    /// <summary>The request front end, in the order the server runs it; returns the outcome's name.</summary>
    private static string Run(string rawPath, string rawQuery)
    {
        // The verifier sees the raw text and must classify anything without throwing.
        var verification = SignatureVerifier.Verify(rawPath, rawQuery, Ring, new FixedClock(Now));
        Assert.True(Enum.IsDefined(verification.Status));

        try
        {
            var url = CdnUrlSplitter.Split(Uri.UnescapeDataString(rawPath));
            var dpr = DprParser.Parse(QueryValue(rawQuery, "dpr"), null);
            var plan = Binder.Bind(Expander.Expand(PatternGrammar.Parse(url.PatternText)));
            var key = RenditionKeyBuilder.Build(url.Cloud, url.FilePath, plan, dpr);
            Assert.StartsWith("r:", key.Value, StringComparison.Ordinal);
            return "ok";
        }
        catch (CdnUrlException e)
        {
            return "url:" + e.Code;
        }
        catch (CdnException e) when (ClientErrorKinds.Contains(e.Kind))
        {
            return "cdn:" + e.Kind;
        }
    }

    private static string RunPattern(string pattern, PatternLimits limits)
    {
        try
        {
            var syntax = PatternGrammar.Parse(pattern, limits);

            // What the grammar accepts, the printer writes back as text that parses to the same tree.
            var printed = PatternPrinter.Print(syntax);
            Assert.Equal(printed, PatternPrinter.Print(PatternGrammar.Parse(printed, limits)));

            var expanded = new PresetExpander(ExpanderCatalog, limits).Expand(syntax);
            var plan = Binder.Bind(expanded);
            Assert.Equal(plan.Canonical, Binder.Bind(PatternGrammar.Parse(plan.Canonical, limits)).Canonical);
            return "ok";
        }
        catch (CdnUrlException e)
        {
            return "url:" + e.Code;
        }
        catch (CdnException e) when (ClientErrorKinds.Contains(e.Kind))
        {
            return "cdn:" + e.Kind;
        }
    }

    private static PresetCatalog ExpanderCatalog { get; } = new(
    [
        new PresetDefinition("thumb", "t.resize(w:$w)", [new PresetVariable("w", PresetVariableType.Integer, "100")]),
        new PresetDefinition("mirror", "t.flip()~t.flop()"),
        new PresetDefinition("spin", "t.rotate(a:$a)", [new PresetVariable("a", PresetVariableType.Integer)]),
    ]);

    private static void ExpectTypedError(Func<string> run)
    {
        var outcome = run();
        Assert.NotEqual("ok", outcome);
    }

    /// <summary>Median of 5 timed runs, after one untimed warm-up run.</summary>
    private static double MedianMilliseconds(Action action)
    {
        action();
        var times = new double[5];
        for (var i = 0; i < times.Length; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            times[i] = watch.Elapsed.TotalMilliseconds;
        }

        Array.Sort(times);
        return times[times.Length / 2];
    }

    private static (string Path, string Query)[] SeedUrls()
    {
        var unsigned = new List<string>();
        foreach (var pattern in Patterns)
        {
            foreach (var file in Files)
            {
                unsigned.Add("/v2/demo-cloud/" + Uri.EscapeDataString(pattern).Replace("%2F", "/", StringComparison.Ordinal) + "/" + file);
            }
        }

        unsigned.Add("/v1/abc/t.resize(w:100)/x.png?dpr=2.5");
        unsigned.Add("/v2/demo/original/a.jpg?dpr=auto&f_auto=true");

        var seeds = new List<(string, string)>();
        foreach (var path in unsigned)
        {
            seeds.Add(SplitQuery(path));
            var signed = UrlSigner.Sign("https://cdn.example" + path, 60, "ak-1", "tok-1", Now);
            seeds.Add(SplitQuery(new Uri(signed).PathAndQuery));
        }

        return [.. seeds];
    }

    private static (string Path, string Query) SplitQuery(string pathAndQuery)
    {
        var question = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        return question < 0 ? (pathAndQuery, "") : (pathAndQuery[..question], pathAndQuery[(question + 1)..]);
    }

    private static string? QueryValue(string query, string name)
    {
        foreach (var pair in query.Split('&'))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && pair.AsSpan(0, equals).SequenceEqual(name))
            {
                return Uri.UnescapeDataString(pair[(equals + 1)..]);
            }
        }

        return null;
    }

    private static string Mutate(Random random, string seed)
    {
        var text = new StringBuilder(seed);
        var edits = random.Next(3) == 0 ? random.Next(2, 6) : 1;
        for (var e = 0; e < edits; e++)
        {
            var at = random.Next(text.Length + 1);
            switch (random.Next(8))
            {
                case 0 when at < text.Length:
                    text.Remove(at, Math.Min(random.Next(1, 6), text.Length - at));
                    break;
                case 1:
                case 2:
                    text.Insert(at, Fragments[random.Next(Fragments.Length)]);
                    break;
                case 3 when at < text.Length:
                    text[at] = random.Next(3) == 0 ? (char)random.Next(0, 0x10000) : (char)random.Next(0x20, 0x7f);
                    break;
                case 4:
                    // A long run, sometimes long enough to hit the length limits.
                    text.Insert(at, new string(RunCharacters[random.Next(RunCharacters.Length)], random.Next(2, random.Next(10) == 0 ? 5_000 : 40)));
                    break;
                case 5 when text.Length > 0:
                    // Duplicate a slice, e.g. a whole call or argument.
                    var start = random.Next(text.Length);
                    text.Insert(at, text.ToString(start, Math.Min(random.Next(1, 30), text.Length - start)));
                    break;
                case 6 when at < text.Length:
                    text[at] = (char)random.Next(0, 0x20);
                    break;
                default:
                    text.Insert(at, (char)random.Next(0x20, 0x7f));
                    break;
            }
        }

        return text.ToString();
    }

    private static string RandomText(Random random, int length)
    {
        const string Alphabet = "t.resizp:()~,:[]_%0123456789abcdefw-/?&=é😀 \0\t";
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            text.Append(random.Next(10) == 0 ? (char)random.Next(0, 0x10000) : Alphabet[random.Next(Alphabet.Length)]);
        }

        return text.ToString();
    }

    private static string Repeat(string unit, int atLeast)
    {
        var text = new StringBuilder(atLeast + unit.Length);
        while (text.Length < atLeast)
        {
            text.Append(unit);
        }

        return text.ToString();
    }

    private static void Count(Dictionary<string, int> outcomes, string outcome) =>
        outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;

    /// <summary>The input with every non-printable-ASCII character escaped, cut to a readable length.</summary>
    private static string Show(string text)
    {
        var shown = new StringBuilder();
        foreach (var c in text.Length <= 300 ? text : text[..300])
        {
            shown.Append(c is >= ' ' and < '\u007f' ? c.ToString() : string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"));
        }

        return text.Length <= 300 ? shown.ToString() : shown + $"… ({text.Length} chars)";
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

/// <summary>The timing assertions run alone, so other tests' CPU use does not skew them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HostileInputTiming
{
    public const string Name = "Hostile input timing";
}
