using CdnProxy.Core.Planning;
using CdnProxy.Core.Caching;
using CdnProxy.Core.Transformations;
using CdnProxy.Urls.Grammar;

namespace CdnProxy.Core.Tests.Caching;

public class RenditionKeyBuilderTests
{
    private static readonly RenderPlanBinder Binder = new(TransformationCatalog.Default);

    private static RenderPlan Plan(string pattern) => Binder.Bind(PatternGrammar.Parse(pattern));

    private static RenditionKey Key(string cloud = "demo", string path = "a/b.jpg", string pattern = "t.resize(w:300)", double dpr = 1) =>
        RenditionKeyBuilder.Build(cloud, path, Plan(pattern), dpr);

    [Fact]
    public void Build_SameInputs_SameKey()
    {
        Assert.Equal(Key(), Key());
    }

    [Fact]
    public void Build_EquivalentPatterns_SameKey()
    {
        Assert.Equal(Key(pattern: "t.resize(w:300,h:0)"), Key(pattern: "t.resize(h:0,w:300,f:cover)"));
    }

    public static TheoryData<string, RenditionKey> Variants => new()
    {
        { "cloud", Key(cloud: "other") },
        { "path", Key(path: "a/c.jpg") },
        { "path case", Key(path: "a/B.jpg") },
        { "canonical", Key(pattern: "t.resize(w:301)") },
        { "steps", Key(pattern: "t.resize(w:300)~t.flip()") },
        { "output format", Key(pattern: "t.resize(w:300)~t.toFormat(f:webp)") },
        { "output quality", Key(pattern: "t.resize(w:300)~t.compress(q:50)") },
        { "dpr", Key(dpr: 2) },
        { "dpr fraction", Key(dpr: 1.01) },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void Build_OneInputChanged_DifferentKey(string what, RenditionKey changed)
    {
        Assert.NotNull(what);
        Assert.NotEqual(Key().Value, changed.Value);
    }

    [Fact]
    public void Build_OutputChangeAlone_DifferentKey()
    {
        var plan = Plan("t.flip()");
        var webp = plan with { Output = new OutputSettings(OutputFormat.Webp, null) };

        Assert.NotEqual(
            RenditionKeyBuilder.Build("demo", "a.jpg", plan, 1).Value,
            RenditionKeyBuilder.Build("demo", "a.jpg", webp, 1).Value);
    }

    [Fact]
    public void Build_CloudAndPathSeparator_CannotCollide()
    {
        Assert.NotEqual(Key(cloud: "abc", path: "d/e.jpg").Value, Key(cloud: "abc/d", path: "e.jpg").Value);
    }

    [Fact]
    public void Build_KeyHasReadablePrefixAndUrlSafeHash()
    {
        var key = Key(cloud: "demo");

        Assert.StartsWith($"r:{RenditionKeyBuilder.SchemaVersion}:demo:", key.Value, StringComparison.Ordinal);
        var hash = key.Value[$"r:{RenditionKeyBuilder.SchemaVersion}:demo:".Length..];
        Assert.Equal(43, hash.Length);
        Assert.All(hash, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_', $"'{c}'"));
        Assert.Equal(key.Value, key.ToString());
    }

    [Fact]
    public void Build_OriginalId_IsCloudAndPath()
    {
        Assert.Equal("demo/a/b.jpg", Key().OriginalId);
    }
}
