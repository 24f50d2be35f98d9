using System.Globalization;
using System.Text;
using CdnProxy.Core.Planning;
using CdnProxy.Core.Caching;
using CdnProxy.Core.Pipeline;
using CdnProxy.Core.Transformations;
using CdnProxy.Urls.Grammar;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;

namespace CdnProxy.Core.Tests.Planning;

/// <summary>
/// Property tests of the canonical form and the rendition key: random valid plans over the catalog's operations,
/// each written in many equivalent spellings (key order, defaults written or omitted, synonyms, letter case,
/// leading and trailing zeros, equivalent angles, duplicate keys where the last wins).
/// </summary>
public class CanonicalFormPropertyTests
{
    private const int Cases = 1_000;

    private static readonly RenderPlanBinder Binder = new(TransformationCatalog.Default);

    // Fixed replay seed, so a run is reproducible; FsCheck reports the failing case and its seed.
    private static readonly Config Config = Config.QuickThrowOnFailure
        .WithMaxTest(Cases)
        .WithQuietOnSuccess(true)
        .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(20_260_611UL, 0x9E37_79B9_7F4A_7C15UL), FSharpOption<int>.None)));

    [Fact]
    public void PrintParsePrint_IsStable()
    {
        var cases = from plan in Model.Plan from spelling in Model.Spell(plan) select spelling;

        Check.One(Config, Prop.ForAll(Arb.From(cases), spelling =>
        {
            var canonical = Canonical(spelling);
            Assert.Equal(canonical, Canonical(canonical));

            // The printer, too, writes back text that parses to the same tree.
            var printed = PatternPrinter.Print(PatternGrammar.Parse(spelling));
            Assert.Equal(printed, PatternPrinter.Print(PatternGrammar.Parse(printed)));
            Assert.Equal(canonical, Canonical(printed));
        }));
    }

    [Fact]
    public void EquivalentSpellings_GiveTheSameCanonicalAndKey()
    {
        var cases =
            from plan in Model.Plan
            from a in Model.Spell(plan)
            from b in Model.Spell(plan)
            from request in Model.Request
            from dprA in Model.SpellDpr(request.DprHundredths)
            from dprB in Model.SpellDpr(request.DprHundredths)
            select (Plan: plan, A: a, B: b, Request: request, DprA: dprA, DprB: dprB);

        Check.One(Config, Prop.ForAll(Arb.From(cases), c =>
        {
            var planA = Bind(c.A);
            var planB = Bind(c.B);
            Assert.Equal(planA.Canonical, planB.Canonical);
            Assert.Equal(planA.Output, planB.Output);

            // Both also agree with the plainest spelling: every argument explicit, in lower case, in catalog order.
            Assert.Equal(Bind(Model.PlainSpelling(c.Plan)).Canonical, planA.Canonical);

            var keyA = RenditionKeyBuilder.Build(c.Request.Cloud, c.Request.Path, planA, DprParser.Parse(c.DprA, null));
            var keyB = RenditionKeyBuilder.Build(c.Request.Cloud, c.Request.Path, planB, DprParser.Parse(c.DprB, null));
            Assert.Equal(keyA, keyB);
        }));
    }

    [Fact]
    public void SemanticChanges_GiveADifferentKey()
    {
        var cases =
            from plan in Model.Plan
            from request in Model.Request
            from change in Model.Change(plan, request)
            from a in Model.Spell(plan)
            from b in Model.Spell(change.Plan)
            select (Before: plan, After: change, A: a, B: b, Request: request);

        Check.One(Config, Prop.ForAll(Arb.From(cases), c =>
        {
            var before = RenditionKeyBuilder.Build(c.Request.Cloud, c.Request.Path, Bind(c.A), c.Request.Dpr);
            var after = RenditionKeyBuilder.Build(c.After.Request.Cloud, c.After.Request.Path, Bind(c.B), c.After.Request.Dpr);
            Assert.True(before != after, $"{c.After.What}: '{c.A}' and '{c.B}' share the key {before.Value}");
        }));
    }

    private static RenderPlan Bind(string pattern) => Binder.Bind(PatternGrammar.Parse(pattern));

    private static string Canonical(string pattern) => Bind(pattern).Canonical;

    /// <summary>A request context: cloud, file path and dpr in hundredths (what <see cref="DprParser"/> keeps).</summary>
    private sealed record RequestContext(string Cloud, string Path, int DprHundredths)
    {
        public double Dpr => DprHundredths / 100.0;
    }

    /// <summary>A plan and request that differ from the original in meaning, and how.</summary>
    private sealed record Changed(Step[] Plan, RequestContext Request, string What);

    /// <summary>One step of a plan, by meaning: enum arguments are indexes into the token tables below.</summary>
    private abstract record Step;

    private sealed record ResizeStep(int Height, int Width, int Fit, Rgba Background, int Position, int Kernel, int DprHundredths) : Step;

    private sealed record FlipStep : Step;

    private sealed record FlopStep : Step;

    private sealed record RotateStep(int Angle, Rgba Background) : Step;

    private sealed record CompressStep(int Quality) : Step;

    private sealed record ToFormatStep(int Format, int Quality) : Step;

    /// <summary>One argument to write: its key, whether its value is the default, and generators of its spellings.</summary>
    private sealed record Argument(string Key, bool IsDefault, Gen<string> Spelling, Gen<string> AnyValue, string Plain);

    private static class Model
    {
        // Synonyms per meaning; the first is what the plain spelling uses.
        private static readonly string[][] Fits = [["cover"], ["contain"], ["fill"], ["inside"], ["outside"]];
        private static readonly string[][] Positions =
            [["center", "centre"], ["top"], ["bottom"], ["left"], ["right"], ["right_top"], ["right_bottom"], ["left_top"], ["left_bottom"]];

        private static readonly string[][] Kernels = [["lanczos3"], ["nearest"], ["cubic"], ["mitchell"], ["lanczos2"]];
        private static readonly string[][] Formats = [["jpeg", "jpg"], ["png"], ["webp"], ["avif"], ["gif"], ["tiff"], ["heif"], ["bmp"]];
        private static readonly Dictionary<int, string> QualityWords = new() { [90] = "best", [80] = "good", [65] = "eco", [50] = "low" };

        private static readonly string[] Clouds = ["demo", "abc", "Demo", "tenant-1", "tenant_1", "x9z"];
        private static readonly string[] Paths = ["a.jpg", "a/b.jpg", "a/B.jpg", "dir/sub/image.png", "café/日本.webp", "a b.jpg"];

        private static readonly Gen<Rgba> Colour =
            from r in Byte
            from g in Byte
            from b in Byte
            from opaque in Gen.Elements(true, false)
            from a in Byte
            select new Rgba((byte)r, (byte)g, (byte)b, opaque ? (byte)255 : (byte)a);

        private static readonly Gen<Step> ResizeGen =
            from h in Dimension
            from w in Dimension
            from fit in Gen.Choose(0, Fits.Length - 1)
            from background in Gen.Frequency((1, Gen.Constant(Rgba.Black)), (2, Colour))
            from position in Gen.Choose(0, Positions.Length - 1)
            from kernel in Gen.Choose(0, Kernels.Length - 1)
            from dpr in Gen.Frequency((1, Gen.Constant(100)), (2, Gen.Choose(10, 500)))
            select (Step)new ResizeStep(h, w, fit, background, position, kernel, dpr);

        private static readonly Gen<Step> RotateGen =
            from angle in Gen.Frequency((1, Gen.Elements(0, 90, 180, 270)), (2, Gen.Choose(0, 359)))
            from background in Gen.Frequency((1, Gen.Constant(Rgba.Black)), (2, Colour))
            select (Step)new RotateStep(angle, background);

        private static readonly Gen<Step> CompressGen = Gen.Choose(0, 100).Select(q => (Step)new CompressStep(q));

        private static readonly Gen<Step> ToFormatGen =
            from format in Gen.Choose(0, Formats.Length - 1)
            from q in Gen.Frequency((1, Gen.Elements(75, 90, 80, 65, 50)), (2, Gen.Choose(1, 100)))
            select (Step)new ToFormatStep(format, q);

        private static readonly Gen<Step> PixelStep = Gen.Frequency(
            (4, ResizeGen), (1, Gen.Constant((Step)new FlipStep())), (1, Gen.Constant((Step)new FlopStep())), (2, RotateGen));

        private static readonly Gen<Step> AnyStep = Gen.Frequency((3, PixelStep), (1, CompressGen), (1, ToFormatGen));

        /// <summary>A plan of 1 to 6 steps; now and then none, which is <c>original</c>.</summary>
        public static Gen<Step[]> Plan { get; } = Gen.Frequency(
            (1, Gen.Constant(Array.Empty<Step>())),
            (20, Gen.Choose(1, 6).SelectMany(n => AnyStep.ArrayOf(n))));

        public static Gen<RequestContext> Request { get; } =
            from cloud in Gen.Elements(Clouds)
            from path in Gen.Elements(Paths)
            from dpr in Gen.Frequency((1, Gen.Constant(100)), (2, Gen.Choose(10, 500)))
            select new RequestContext(cloud, path, dpr);

        private static Gen<int> Byte => Gen.Choose(0, 255);

        private static Gen<int> Dimension => Gen.Frequency((1, Gen.Constant(0)), (3, Gen.Choose(1, 4000)), (1, Gen.Choose(4001, 100_000)));

        /// <summary>A random spelling of the whole plan.</summary>
        public static Gen<string> Spell(Step[] plan) =>
            plan.Length == 0
                ? Gen.Constant("original")
                : Gen.CollectToArray(plan.Select(SpellStep)).Select(calls => string.Join("~", calls));

        /// <summary>The plainest spelling: every argument explicit, first synonym, lower case, keys in a fixed order.</summary>
        public static string PlainSpelling(Step[] plan) =>
            plan.Length == 0
                ? "original"
                : string.Join("~", plan.Select(step => Name(step) + "(" + string.Join(",", Arguments(step).Select(a => a.Key + ":" + a.Plain)) + ")"));

        /// <summary>A dpr query value meaning <paramref name="hundredths"/>/100, spelled with optional leading or trailing zeros.</summary>
        public static Gen<string> SpellDpr(int hundredths) =>
            from leading in Gen.Choose(0, 2)
            from trailing in Gen.Choose(0, 2)
            select Decimal(hundredths, leading, trailing);

        /// <summary>One change of meaning to the plan or the request.</summary>
        public static Gen<Changed> Change(Step[] plan, RequestContext request)
        {
            var changes = new List<(int Weight, Gen<Changed> Gen)>
            {
                (2, PixelStep.SelectMany(step => Gen.Choose(0, plan.Length).Select(at => new Changed([.. plan[..at], step, .. plan[at..]], request, "add a pixel step")))),
                (1, Gen.Elements(Clouds).Where(c => c != request.Cloud).Select(c => new Changed(plan, request with { Cloud = c }, "change the cloud"))),
                (1, Gen.Elements(Paths).Where(p => p != request.Path).Select(p => new Changed(plan, request with { Path = p }, "change the path"))),
                (1, Gen.Choose(10, 500).Where(d => d != request.DprHundredths).Select(d => new Changed(plan, request with { DprHundredths = d }, "change the dpr"))),
            };

            var withArguments = Enumerable.Range(0, plan.Length).Where(i => plan[i] is not (FlipStep or FlopStep)).ToArray();
            if (withArguments.Length > 0)
            {
                changes.Add((4, Gen.Elements(withArguments).SelectMany(i => ChangeArgument(plan[i]).Select(step =>
                    new Changed([.. plan[..i], step, .. plan[(i + 1)..]], request, "change an argument")))));
            }

            var pixelSteps = Enumerable.Range(0, plan.Length).Where(i => plan[i] is not (CompressStep or ToFormatStep)).ToArray();
            if (pixelSteps.Length > 0)
            {
                changes.Add((2, Gen.Elements(pixelSteps).Select(i => new Changed([.. plan[..i], .. plan[(i + 1)..]], request, "remove a pixel step"))));
            }

            // Swap two different pixel steps (with only output steps, if any, between them).
            var swaps = Enumerable.Range(0, Math.Max(0, pixelSteps.Length - 1))
                .Select(k => (pixelSteps[k], pixelSteps[k + 1]))
                .Where(pair => plan[pair.Item1] != plan[pair.Item2])
                .ToArray();
            if (swaps.Length > 0)
            {
                changes.Add((2, Gen.Elements(swaps).Select(pair =>
                {
                    var swapped = plan.ToArray();
                    (swapped[pair.Item1], swapped[pair.Item2]) = (swapped[pair.Item2], swapped[pair.Item1]);
                    return new Changed(swapped, request, "reorder pixel steps");
                })));
            }

            return Gen.Frequency(changes);
        }

        /// <summary>The same operation with exactly one argument set to another value of different meaning.</summary>
        private static Gen<Step> ChangeArgument(Step step) => step switch
        {
            ResizeStep r => Gen.OneOf(
                Dimension.Where(v => v != r.Height).Select(v => (Step)(r with { Height = v })),
                Dimension.Where(v => v != r.Width).Select(v => (Step)(r with { Width = v })),
                Gen.Choose(0, Fits.Length - 1).Where(v => v != r.Fit).Select(v => (Step)(r with { Fit = v })),
                Colour.Where(v => v != r.Background).Select(v => (Step)(r with { Background = v })),
                Gen.Choose(0, Positions.Length - 1).Where(v => v != r.Position).Select(v => (Step)(r with { Position = v })),
                Gen.Choose(0, Kernels.Length - 1).Where(v => v != r.Kernel).Select(v => (Step)(r with { Kernel = v })),
                Gen.Choose(10, 500).Where(v => v != r.DprHundredths).Select(v => (Step)(r with { DprHundredths = v }))),
            RotateStep r => Gen.OneOf(
                Gen.Choose(0, 359).Where(v => v != r.Angle).Select(v => (Step)(r with { Angle = v })),
                Colour.Where(v => v != r.Background).Select(v => (Step)(r with { Background = v }))),
            CompressStep c => Gen.Choose(0, 100).Where(v => v != c.Quality).Select(v => (Step)new CompressStep(v)),
            ToFormatStep t => Gen.OneOf(
                Gen.Choose(0, Formats.Length - 1).Where(v => v != t.Format).Select(v => (Step)(t with { Format = v })),
                Gen.Choose(1, 100).Where(v => v != t.Quality).Select(v => (Step)(t with { Quality = v }))),
            _ => throw new ArgumentOutOfRangeException(nameof(step), step, "no arguments"),
        };

        private static string Name(Step step) => step switch
        {
            ResizeStep => "t.resize",
            FlipStep => "t.flip",
            FlopStep => "t.flop",
            RotateStep => "t.rotate",
            CompressStep => "t.compress",
            ToFormatStep => "t.toFormat",
            _ => throw new ArgumentOutOfRangeException(nameof(step), step, null),
        };

        private static Argument[] Arguments(Step step) => step switch
        {
            ResizeStep r =>
            [
                Whole("h", r.Height, 0, 0, 100_000),
                Whole("w", r.Width, 0, 0, 100_000),
                Choice("f", Fits, r.Fit),
                ColourArgument("b", r.Background, Rgba.Black),
                Choice("p", Positions, r.Position),
                Choice("k", Kernels, r.Kernel),
                new("dpr", r.DprHundredths == 100, SpellDpr(r.DprHundredths), Gen.Choose(10, 500).SelectMany(SpellDpr), Decimal(r.DprHundredths, 0, 0)),
            ],
            RotateStep r =>
            [
                new("a", r.Angle == 0, SpellAngle(r.Angle), Gen.Choose(-36_000, 36_000).SelectMany(SpellWhole), r.Angle.ToString(CultureInfo.InvariantCulture)),
                ColourArgument("b", r.Background, Rgba.Black),
            ],
            CompressStep c => [Quality("q", c.Quality, 80, minimum: 0)],
            ToFormatStep t => [Choice("f", Formats, t.Format), Quality("q", t.Quality, 75)],
            _ => [],
        };

        private static Gen<string> SpellStep(Step step) =>
            from arguments in SpellArguments(Arguments(step))
            select Name(step) + "(" + string.Join(",", arguments) + ")";

        /// <summary>
        /// The arguments in random order: a default may be left out; an explicit one may be preceded (anywhere
        /// earlier in the list) by the same key with another valid value, which the last occurrence overrides.
        /// </summary>
        private static Gen<string[]> SpellArguments(Argument[] arguments) =>
            from written in Gen.CollectToArray(arguments.Select(a =>
                from omit in a.IsDefault ? Gen.Elements(true, false) : Gen.Constant(false)
                from decoys in Gen.Frequency((4, Gen.Constant(0)), (1, Gen.Choose(1, 2)))
                select (Argument: a, Count: omit ? 0 : 1 + decoys)))
            from order in Gen.Shuffle(written.SelectMany(w => Enumerable.Repeat(w.Argument, w.Count)))
            from values in Gen.CollectToArray(order.Select((a, i) =>
                order.Skip(i + 1).Any(later => later.Key == a.Key) ? a.AnyValue : a.Spelling))
            select order.Select((a, i) => a.Key + ":" + values[i]).ToArray();

        private static Argument Whole(string key, int value, int defaultValue, int min, int max) =>
            new(key, value == defaultValue, SpellWhole(value), Gen.Choose(min, max).SelectMany(SpellWhole), value.ToString(CultureInfo.InvariantCulture));

        private static Argument Choice(string key, string[][] tokens, int index) =>
            new(key, index == 0, SpellToken(tokens[index]), Gen.Elements(tokens).SelectMany(SpellToken), tokens[index][0]);

        private static Argument ColourArgument(string key, Rgba value, Rgba defaultValue) =>
            new(key, value == defaultValue, SpellColour(value), Colour.SelectMany(SpellColour), value.ToString());

        private static Argument Quality(string key, int value, int defaultValue, int minimum = 1) =>
            new(key, value == defaultValue, SpellQuality(value), Gen.Choose(minimum, 100).SelectMany(SpellQuality), value.ToString(CultureInfo.InvariantCulture));

        /// <summary><c>7</c>, <c>007</c>, <c>-07</c>; zero also as <c>-0</c>.</summary>
        private static Gen<string> SpellWhole(int value) =>
            from zeros in Gen.Frequency((2, Gen.Constant(0)), (1, Gen.Choose(1, 3)))
            from negativeZero in Gen.Elements(false, value == 0)
            select (value < 0 || negativeZero ? "-" : "") + new string('0', zeros) + Math.Abs(value).ToString(CultureInfo.InvariantCulture);

        /// <summary>An angle as itself or plus or minus whole turns: 90, 450, -270, 0090.</summary>
        private static Gen<string> SpellAngle(int angle) =>
            Gen.Choose(-3, 3).SelectMany(turns => SpellWhole(angle + (360 * turns)));

        /// <summary>A number or, for the four levels, its word in any case.</summary>
        private static Gen<string> SpellQuality(int quality)
        {
            var number = Gen.Choose(0, 2).Select(zeros => new string('0', zeros) + quality.ToString(CultureInfo.InvariantCulture));
            return QualityWords.TryGetValue(quality, out var word) ? Gen.OneOf(number, AnyCase(word)) : number;
        }

        private static Gen<string> SpellToken(string[] synonyms) => Gen.Elements(synonyms).SelectMany(AnyCase);

        /// <summary>RRGGBB or RRGGBBAA in any mix of case; an opaque colour also as RRGGBB followed by FF.</summary>
        private static Gen<string> SpellColour(Rgba colour)
        {
            var hex = colour.ToString();
            var spellings = colour.IsOpaque ? Gen.Elements(hex, hex + "ff") : Gen.Constant(hex);
            return spellings.SelectMany(AnyCase);
        }

        private static Gen<string> AnyCase(string text) =>
            Gen.Elements(false, true).ArrayOf(text.Length).Select(upper =>
                string.Concat(text.Select((c, i) => upper[i] ? char.ToUpperInvariant(c) : c)));

        /// <summary><paramref name="hundredths"/>/100 in decimal, e.g. 250 → <c>2.5</c>, with extra leading and trailing zeros.</summary>
        private static string Decimal(int hundredths, int leadingZeros, int trailingZeros)
        {
            var text = new StringBuilder(new string('0', leadingZeros));
            text.Append((hundredths / 100).ToString(CultureInfo.InvariantCulture));
            var fraction = (hundredths % 100).ToString("00", CultureInfo.InvariantCulture).TrimEnd('0');
            if (fraction.Length > 0 || trailingZeros > 0)
            {
                text.Append('.').Append(fraction).Append('0', trailingZeros);
            }

            return text.ToString();
        }
    }
}
