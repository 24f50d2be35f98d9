using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Tests.Common;

namespace CdnProxy.Core.Tests.Transformations.Basic;

public class TrimTests
{
    private static readonly byte[] Flower = TestImages.Read(TestImages.Flower);

    private static readonly byte[] Tulips = TestImages.Read(TestImages.Sample("alpha-500-tulips.png"));

    [Fact]
    public void Bind_NoArguments_CanonicalFormHasEveryDefault()
    {
        Assert.Equal("t.trim(t:10)", RenderHarness.Canonical("t.trim()"));
    }

    [Theory]
    [InlineData("t", "0")]
    [InlineData("t", "501")]
    [InlineData("t", "1.5")]
    [InlineData("t", "all")]
    public void Bind_BadValue_InvalidArgumentNamingTheKey(string key, string value)
    {
        var e = Assert.Throws<CdnException>(() => RenderHarness.Bind($"t.trim({key}:{value})"));

        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
        Assert.Contains($"'{key}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_UnknownKey_InvalidArgument()
    {
        var e = Assert.Throws<CdnException>(() => RenderHarness.Bind("t.trim(x:1)"));

        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("'x'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_PaddedImage_LosesThePadding()
    {
        using var plain = RenderHarness.RenderAndProbe(Flower, "t.resize(w:300)~t.toFormat(f:png)");
        using var trimmed = RenderHarness.RenderAndProbe(Flower, "t.resize(w:300)~t.extend(t:20,l:30,b:40,r:50,bc:ff0000)~t.trim()~t.toFormat(f:png)");

        Assert.Equal((300, 200), (trimmed.Width, trimmed.Height));
        foreach (var (x, y) in new[] { (0, 0), (150, 100), (299, 199) })
        {
            Assert.Equal(plain.Pixel(x, y), trimmed.Pixel(x, y));
        }
    }

    [Theory]
    [InlineData(10, 320, 220)]
    [InlineData(30, 300, 200)]
    public void Render_Threshold_DecidesHowCloseAColourMustBe(int threshold, int width, int height)
    {
        // An outer band of grey 20 around an inner black band: only a threshold above 20 removes both.
        var result = RenderHarness.Render(
            Flower,
            $"t.resize(w:300)~t.extend(t:10,l:10,b:10,r:10,bc:000000)~t.extend(t:10,l:10,b:10,r:10,bc:141414)~t.trim(t:{threshold})");

        Assert.Equal((width, height), (result.Width, result.Height));
    }

    [Fact]
    public void Render_UniformImage_IsUnchanged()
    {
        var result = RenderHarness.Render(Flower, "t.extract(t:0,l:0,h:1,w:1)~t.extend(t:10,l:10,b:10,r:10,bt:replicate)~t.trim()");

        Assert.Equal((21, 21), (result.Width, result.Height));
    }

    [Fact]
    public void Render_TransparentPadding_IsRemoved()
    {
        using var trimmed = RenderHarness.RenderAndProbe(Tulips, "t.extend(t:15,l:15,b:15,r:15,bc:ffffff00)~t.trim()");

        Assert.True(trimmed.HasAlpha);
        Assert.InRange(trimmed.Width, 1, 500);
        Assert.InRange(trimmed.Height, 1, 500);
    }
}
