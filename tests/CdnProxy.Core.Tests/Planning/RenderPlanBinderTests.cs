using CdnProxy.Core.Planning;
using CdnProxy.Core.Transformations;
using CdnProxy.Core.Transformations.Basic;
using CdnProxy.Urls.Grammar;

namespace CdnProxy.Core.Tests.Planning;

public class RenderPlanBinderTests
{
    private static readonly RenderPlanBinder Binder = new(TransformationCatalog.Default);

    private static RenderPlan Bind(string pattern) => Binder.Bind(PatternGrammar.Parse(pattern));

    [Fact]
    public void Bind_AtMostFourDifferentMergeImages()
    {
        static string Merges(int count) => string.Join("~", Enumerable.Range(0, count).Select(n => $"t.merge(i:{Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("logo" + n))})"));

        Assert.Equal(RenderPlanBinder.MaxReferencedFiles, Bind(Merges(4) + "~" + Merges(4)).Transformations.Count / 2);
        var e = Assert.Throws<CdnException>(() => Bind(Merges(5)));
        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("at most 4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_Original_HasNoStepsAndSourceOutput()
    {
        var plan = Bind("original");

        Assert.Empty(plan.Transformations);
        Assert.Equal(OutputSettings.SameAsSource, plan.Output);
        Assert.Equal("original", plan.Canonical);
    }

    [Theory]
    [InlineData("t.resize(w:300,h:100)", "t.resize(h:100,w:300)")]
    [InlineData("t.resize(w:300,h:100)", "t.resize(h:100,w:300,f:cover)")]
    [InlineData("t.resize(w:300,h:100)", "t.resize(w:300,h:100,dpr:1.0,b:000000FF,p:centre,k:lanczos3)")]
    [InlineData("t.resize(w:300)", "t.resize(w:0300,h:0)")]
    [InlineData("t.rotate(a:90)", "t.rotate(a:450)")]
    [InlineData("t.rotate(a:-90)", "t.rotate(a:270)")]
    [InlineData("t.toFormat(f:jpeg,q:90)", "t.toFormat(q:best,f:jpg)")]
    [InlineData("t.toFormat()", "t.toFormat(f:jpeg,q:75)")]
    [InlineData("t.compress()", "t.compress(q:80)")]
    [InlineData("t.resize(w:1,w:2)", "t.resize(w:2)")]
    public void Bind_SameMeaning_SameCanonical(string a, string b)
    {
        Assert.Equal(Bind(a).Canonical, Bind(b).Canonical);
    }

    [Theory]
    [InlineData("t.resize(w:300,h:100)", "t.resize(w:100,h:300)")]
    [InlineData("t.resize(w:300,h:100)", "t.resize(w:300,h:100,f:contain)")]
    [InlineData("t.resize(w:300)", "t.resize(h:300)")]
    [InlineData("t.flip()~t.flop()", "t.flop()~t.flip()")]
    [InlineData("t.flip()", "t.flip()~t.flip()")]
    [InlineData("t.rotate(a:90)", "t.rotate(a:-90)")]
    [InlineData("t.toFormat(f:webp)", "t.toFormat(f:png)")]
    [InlineData("original", "t.compress()")]
    public void Bind_DifferentMeaning_DifferentCanonical(string a, string b)
    {
        Assert.NotEqual(Bind(a).Canonical, Bind(b).Canonical);
    }

    [Fact]
    public void Bind_Chain_CanonicalJoinsStepsWithTilde()
    {
        Assert.Equal("t.flip()~t.compress(q:80)", Bind("t.flip()~t.compress()").Canonical);
    }

    [Fact]
    public void Bind_OutputSteps_SetOutputAndAreNotTransformations()
    {
        var plan = Bind("t.flip()~t.toFormat(f:webp,q:60)~t.flop()");

        Assert.Equal(new OutputSettings(OutputFormat.Webp, 60), plan.Output);
        Assert.Collection(plan.Transformations, s => Assert.IsType<Flip>(s), s => Assert.IsType<Flop>(s));
    }

    [Fact]
    public void Bind_CompressAfterToFormat_KeepsFormatAndChangesQuality()
    {
        var plan = Bind("t.toFormat(f:png)~t.compress(q:40)");

        Assert.Equal(new OutputSettings(OutputFormat.Png, 40), plan.Output);
        Assert.Empty(plan.Transformations);
    }

    [Fact]
    public void Bind_CompressAlone_KeepsSourceFormat()
    {
        Assert.Equal(new OutputSettings(OutputFormat.Source, 30), Bind("t.compress(q:30)").Output);
    }

    [Fact]
    public void Bind_LastOutputStepWins()
    {
        Assert.Equal(new OutputSettings(OutputFormat.Avif, 75), Bind("t.compress(q:20)~t.toFormat(f:avif)").Output);
    }

    [Fact]
    public void Bind_KeepsOrderAndRepeats()
    {
        var plan = Bind("t.rotate(a:90)~t.flip()~t.rotate(a:180)~t.flip()");

        Assert.Equal(
            [new Rotate(90, Rgba.Black), new Flip(), new Rotate(180, Rgba.Black), new Flip()],
            plan.Transformations);
    }

    [Fact]
    public void Bind_BadArgument_Throws()
    {
        var e = Assert.Throws<CdnException>(() => Bind("t.flip()~t.resize(w:-1)"));

        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
    }
}
