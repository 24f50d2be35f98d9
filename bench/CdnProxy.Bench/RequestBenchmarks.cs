using BenchmarkDotNet.Attributes;
using CdnProxy.Core.Planning;
using CdnProxy.Core.Caching;
using CdnProxy.Core.Transformations;
using CdnProxy.Urls.Grammar;
using CdnProxy.Urls.Security;

namespace CdnProxy.Bench;

/// <summary>The pure per-request work before any I/O: parse + bind, the cached path, printing and signature checks.</summary>
[MemoryDiagnoser]
public class RequestBenchmarks
{
    /// <summary>Five operations, output options included: a realistic, fairly long pattern.</summary>
    public const string FiveOps =
        "t.resize(h:300,w:400,f:contain,b:ffffff)~t.rotate(a:90)~t.flip()~t.compress(q:70)~t.toFormat(f:webp,q:80)";

    private const string Cloud = "demo";
    private const string FilePath = "path/to/image.jpeg";

    private readonly RenderPlanBinder _binder = new(TransformationCatalog.Default);
    private readonly PatternLimits _limits = PatternLimits.Default;
    private RenderPlanCache _cache = null!;
    private PatternSyntax _parsed = null!;
    private SigningKeyRing _ring = null!;
    private FixedTime _time = null!;
    private string _signedPath = null!;
    private string _signedQuery = null!;

    [GlobalSetup]
    public void Setup()
    {
        _cache = new RenderPlanCache(_binder, _limits);
        _cache.GetOrBind(FiveOps);
        _parsed = PatternGrammar.Parse(FiveOps, _limits);

        // A V2 URL with a zone slug, a 5-op pattern and a query, signed as the JS SDK signs it, checked at a fixed time.
        var signedAt = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        _time = new FixedTime(signedAt.AddSeconds(10));
        _ring = new SigningKeyRing([new SigningKey("ak-other", "another-token"), new SigningKey("ak-bench", "tok_bench_secret")]);
        var signed = UrlSigner.Sign(
            $"https://cdn.example.test/v2/{Cloud}/z-slug/{FiveOps}/{FilePath}?dpr=2&f_auto=true",
            3600,
            "ak-bench",
            "tok_bench_secret",
            signedAt);
        (_signedPath, _signedQuery) = SplitPathAndQuery(signed);
        var check = SignatureVerifier.Verify(_signedPath, _signedQuery, _ring, _time);
        if (!check.IsValid)
        {
            throw new InvalidOperationException($"The benchmark URL does not verify: {check.Status}");
        }
    }

    /// <summary>A pattern never seen before: grammar, limits and catalog binding (what a cache miss costs).</summary>
    [Benchmark]
    public RenderPlan ColdParseAndBind() => _binder.Bind(RenderPlanCache.Parse(FiveOps, _limits));

    /// <summary>Catalog binding alone, on an already parsed pattern (the part of a miss that is not the grammar).</summary>
    [Benchmark]
    public RenderPlan BindParsed() => _binder.Bind(_parsed);

    /// <summary>A hot URL: the plan from the cache, then the rendition key (SHA-256 of the canonical request).</summary>
    [Benchmark]
    public RenditionKey HotUrl() => RenditionKeyBuilder.Build(Cloud, FilePath, _cache.GetOrBind(FiveOps), 1.0);

    /// <summary>The canonical printer alone, on an already parsed pattern.</summary>
    [Benchmark]
    public string PrintCanonical() => PatternPrinter.Print(_parsed);

    /// <summary>One signature verification of a valid JS-SDK-signed URL (stops at the first, matching, variant).</summary>
    [Benchmark]
    public SignatureVerification VerifySignature() => SignatureVerifier.Verify(_signedPath, _signedQuery, _ring, _time);

    private static (string Path, string Query) SplitPathAndQuery(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var pathAndQuery = url[url.IndexOf('/', scheme + 3)..];
        var question = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        return question < 0 ? (pathAndQuery, string.Empty) : (pathAndQuery[..question], pathAndQuery[(question + 1)..]);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
