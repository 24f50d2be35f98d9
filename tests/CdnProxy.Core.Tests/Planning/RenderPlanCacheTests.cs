using CdnProxy.Core.Planning;
using CdnProxy.Core.Transformations;
using CdnProxy.Urls;
using CdnProxy.Urls.Grammar;

namespace CdnProxy.Core.Tests.Planning;

public class RenderPlanCacheTests
{
    private const string FiveOps = "t.resize(h:300,w:400,f:contain,b:ffffff)~t.rotate(a:90)~t.flip()~t.compress(q:70)~t.toFormat(f:webp,q:80)";

    private static readonly RenderPlanBinder Binder = new(TransformationCatalog.Default);

    private static RenderPlanCache NewCache(int capacity = 100, PatternLimits? limits = null) =>
        new(Binder, limits ?? PatternLimits.Default, capacity);

    /// <summary>What the pipeline does without the cache.</summary>
    private static RenderPlan BindDirectly(string pattern, PatternLimits? limits = null) =>
        Binder.Bind(RenderPlanCache.Parse(pattern, limits ?? PatternLimits.Default));

    [Theory]
    [InlineData("original")]
    [InlineData("t.resize(w:300)")]
    [InlineData("t.resize(w:300,h:100)~t.toFormat(f:png)")]
    [InlineData(FiveOps)]
    public void GetOrBind_GivesTheSamePlanAsDirectBinding(string pattern)
    {
        var cache = NewCache();
        var expected = BindDirectly(pattern);

        foreach (var plan in new[] { cache.GetOrBind(pattern), cache.GetOrBind(pattern) })
        {
            Assert.Equal(expected.Canonical, plan.Canonical);
            Assert.Equal(expected.Output, plan.Output);
            Assert.Equal(expected.Transformations, plan.Transformations);
        }
    }

    [Fact]
    public void GetOrBind_Hit_ReturnsTheCachedInstance()
    {
        var cache = NewCache();

        var first = cache.GetOrBind(FiveOps);
        var second = cache.GetOrBind(FiveOps);

        Assert.Same(first, second);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void GetOrBind_DifferentTextSameMeaning_AreSeparateEntriesWithTheSameCanonical()
    {
        var cache = NewCache();

        var a = cache.GetOrBind("t.resize(w:300,h:100)");
        var b = cache.GetOrBind("t.resize(h:100,w:300)");

        Assert.NotSame(a, b);
        Assert.Equal(a.Canonical, b.Canonical);
    }

    [Theory]
    [InlineData("t.resize(w:300", CdnErrorKind.PatternSyntax)]
    [InlineData("t.resize(w:300)~", CdnErrorKind.PatternSyntax)]
    [InlineData("t.resize(w:300,)", CdnErrorKind.PatternSyntax)]
    [InlineData("", CdnErrorKind.PatternSyntax)]
    [InlineData("t.nope(w:1)", CdnErrorKind.UnknownTransformation)]
    [InlineData("t.resize(w:300)~x.y()", CdnErrorKind.UnknownTransformation)]
    [InlineData("t.resize(w:-5)", CdnErrorKind.InvalidArgument)]
    [InlineData("t.rotate(a:abc)", CdnErrorKind.InvalidArgument)]
    public void GetOrBind_Error_SameKindMessageAndColumnAsDirectBinding_OnMissAndOnHit(string pattern, CdnErrorKind kind)
    {
        var cache = NewCache();
        var expected = Assert.Throws<CdnException>(() => BindDirectly(pattern));
        Assert.Equal(kind, expected.Kind);

        var miss = Assert.Throws<CdnException>(() => cache.GetOrBind(pattern));
        var hit = Assert.Throws<CdnException>(() => cache.GetOrBind(pattern));

        foreach (var actual in new[] { miss, hit })
        {
            Assert.Equal(expected.Kind, actual.Kind);
            Assert.Equal(expected.Message, actual.Message);
            Assert.Equal(expected.Column, actual.Column);
            Assert.Equal(expected.InnerException?.GetType(), actual.InnerException?.GetType());
        }

        Assert.NotSame(miss, hit);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void GetOrBind_SyntaxError_HasTheColumnAndTheGrammarErrorInside()
    {
        var cache = NewCache();

        var error = Assert.Throws<CdnException>(() => cache.GetOrBind("t.resize(w:300"));

        Assert.Equal(CdnErrorKind.PatternSyntax, error.Kind);
        Assert.Equal(15, error.Column);
        var inner = Assert.IsType<CdnUrlException>(error.InnerException);
        Assert.Equal(UrlErrorCode.PatternSyntax, inner.Code);
    }

    [Fact]
    public void GetOrBind_OverLongPattern_IsASyntaxErrorAndIsNotCached()
    {
        var limits = new PatternLimits { MaxLength = 40 };
        var cache = NewCache(limits: limits);
        var pattern = "t.resize(w:300)~" + string.Concat(Enumerable.Repeat("t.flip()~", 5)) + "t.flip()";
        var expected = Assert.Throws<CdnException>(() => BindDirectly(pattern, limits));

        var actual = Assert.Throws<CdnException>(() => cache.GetOrBind(pattern));

        Assert.Equal(CdnErrorKind.PatternSyntax, actual.Kind);
        Assert.Equal(expected.Message, actual.Message);
        Assert.Equal(expected.Column, actual.Column);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void GetOrBind_TooManyCalls_IsASyntaxError()
    {
        var limits = new PatternLimits { MaxCalls = 2 };
        var cache = NewCache(limits: limits);

        var error = Assert.Throws<CdnException>(() => cache.GetOrBind("t.flip()~t.flop()~t.flip()"));

        Assert.Equal(CdnErrorKind.PatternSyntax, error.Kind);
    }

    [Fact]
    public void GetOrBind_ManyDistinctPatterns_StaysWithinCapacity()
    {
        const int capacity = 64;
        var cache = NewCache(capacity);

        for (var i = 1; i <= 5_000; i++)
        {
            cache.GetOrBind($"t.resize(w:{i})");
            Assert.True(cache.Count <= capacity, $"{cache.Count} entries after {i} patterns");
        }

        // Recent entries are still there; old ones are gone, and come back bound the same way.
        var recent = cache.GetOrBind("t.resize(w:5000)");
        Assert.Same(recent, cache.GetOrBind("t.resize(w:5000)"));
        Assert.Equal(BindDirectly("t.resize(w:1)").Canonical, cache.GetOrBind("t.resize(w:1)").Canonical);
    }

    [Fact]
    public void GetOrBind_ManyDistinctBadPatterns_StayWithinTheirOwnBudgetAndKeepTheGoodPlans()
    {
        const int capacity = 64;
        var cache = NewCache(capacity);
        var hot = cache.GetOrBind(FiveOps);

        for (var i = 0; i < 5_000; i++)
        {
            Assert.Throws<CdnException>(() => cache.GetOrBind($"t.resize(w:{i}"));
        }

        Assert.True(cache.Count <= 1 + (capacity / 8), $"{cache.Count} entries");
        Assert.Same(hot, cache.GetOrBind(FiveOps));
    }

    [Fact]
    public void GetOrBind_HotEntry_SurvivesAStreamOfColdOnes()
    {
        const int capacity = 16;
        var cache = NewCache(capacity);
        var hot = cache.GetOrBind(FiveOps);

        for (var i = 0; i < 1_000; i++)
        {
            cache.GetOrBind($"t.rotate(a:{i})");
            Assert.Same(hot, cache.GetOrBind(FiveOps));
        }
    }

    [Fact]
    public void Constructor_RejectsATinyCapacity()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NewCache(1));
    }

    [Fact]
    public async Task GetOrBind_ConcurrentUse_GivesCorrectPlansAndStaysBounded()
    {
        const int capacity = 128;
        var cache = NewCache(capacity);
        var patterns = Enumerable.Range(0, 400)
            .Select(i => i % 10 == 0 ? $"t.resize(w:{i}" : $"t.resize(w:{i + 1})~t.rotate(a:{i % 4 * 90})")
            .ToArray();
        var expected = patterns.Select(p => CanonicalOrError(() => BindDirectly(p))).ToArray();
        using var start = new Barrier(4);

        var workers = Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
        {
            start.SignalAndWait();
            var random = new Random(worker);
            for (var n = 0; n < 20_000; n++)
            {
                // Mostly a hot set, sometimes anything: hits, misses, promotions and swaps all race.
                var i = random.Next(10) < 8 ? random.Next(20) : random.Next(patterns.Length);
                Assert.Equal(expected[i], CanonicalOrError(() => cache.GetOrBind(patterns[i])));
            }
        })).ToArray();
        await Task.WhenAll(workers);

        // A few entries over the capacity are allowed while threads race a generation swap.
        Assert.True(cache.Count <= capacity + (capacity / 8) + 8, $"{cache.Count} entries");
    }

    private static string CanonicalOrError(Func<RenderPlan> bind)
    {
        try
        {
            return bind().Canonical;
        }
        catch (CdnException e)
        {
            return $"{e.Kind}@{e.Column}: {e.Message}";
        }
    }
}
