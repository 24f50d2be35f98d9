using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Tests.Common;

namespace CdnProxy.Core.Tests.Transformations.Basic;

public class RotateTests
{
    private static readonly byte[] Flower = TestImages.Read(TestImages.Flower);

    [Fact]
    public void Bind_NoArguments_CanonicalFormHasEveryDefault()
    {
        Assert.Equal("t.rotate(a:0,b:000000)", RenderHarness.Canonical("t.rotate()"));
    }

    [Theory]
    [InlineData("a:90", "t.rotate(a:90,b:000000)")]
    [InlineData("a:-270", "t.rotate(a:90,b:000000)")]
    [InlineData("a:450", "t.rotate(a:90,b:000000)")]
    [InlineData("a:-450", "t.rotate(a:270,b:000000)")]
    [InlineData("a:360", "t.rotate(a:0,b:000000)")]
    [InlineData("a:30,b:FF0000", "t.rotate(a:30,b:ff0000)")]
    public void Bind_Angle_IsNormalisedInTheCanonicalForm(string arguments, string canonical)
    {
        Assert.Equal(canonical, RenderHarness.Canonical($"t.rotate({arguments})"));
    }

    [Theory]
    [InlineData("a", "1.5")]
    [InlineData("a", "ninety")]
    [InlineData("a", "36001")]
    [InlineData("a", "-36001")]
    [InlineData("b", "nope")]
    public void Bind_BadValue_InvalidArgumentNamingTheKey(string key, string value)
    {
        var e = Assert.Throws<CdnException>(() => RenderHarness.Bind($"t.rotate({key}:{value})"));

        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
        Assert.Contains($"'{key}'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(90, 200, 300)]
    [InlineData(180, 300, 200)]
    [InlineData(270, 200, 300)]
    [InlineData(-90, 200, 300)]
    [InlineData(0, 300, 200)]
    public void Render_RightAngles_SwapSidesWhenSideways(int angle, int width, int height)
    {
        var result = RenderHarness.Render(Flower, $"t.resize(w:300)~t.rotate(a:{angle})");

        Assert.Equal((width, height), (result.Width, result.Height));
    }

    [Theory]
    [InlineData(-270, 90)]
    [InlineData(-450, 270)]
    [InlineData(450, 90)]
    [InlineData(-180, 180)]
    public void Render_EquivalentAngles_ProduceTheSameBytes(int angle, int equivalent)
    {
        var first = RenderHarness.Render(Flower, $"t.resize(w:300)~t.rotate(a:{angle})").Bytes;
        var second = RenderHarness.Render(Flower, $"t.resize(w:300)~t.rotate(a:{equivalent})").Bytes;

        Assert.Equal(first, second);
    }

    [Fact]
    public void Render_By90_MovesTheBottomLeftCornerToTheTopLeft()
    {
        using var upright = RenderHarness.RenderAndProbe(Flower, "t.resize(w:300)~t.toFormat(f:png)");
        using var rotated = RenderHarness.RenderAndProbe(Flower, "t.resize(w:300)~t.rotate(a:90)~t.toFormat(f:png)");

        // Clockwise: output (x, y) comes from input (y, H - 1 - x).
        foreach (var (x, y) in new[] { (0, 0), (50, 120), (199, 299) })
        {
            Assert.Equal(upright.Pixel(y, upright.Height - 1 - x), rotated.Pixel(x, y));
        }
    }

    [Fact]
    public void Render_OddAngle_GrowsTheCanvasAndFillsCornersWithTheBackground()
    {
        using var probe = RenderHarness.RenderAndProbe(Flower, "t.resize(w:300)~t.rotate(a:30,b:ff0000)~t.toFormat(f:png)");

        // A 300x200 box turned by 30° needs 300cos30 + 200sin30 ≈ 360 by 300sin30 + 200cos30 ≈ 323.
        Assert.InRange(probe.Width, 358, 362);
        Assert.InRange(probe.Height, 321, 325);
        Assert.Equal(3, probe.Bands);
        ResizeTests.AssertClose([255, 0, 0], probe.Pixel(0, 0), 1);
        ResizeTests.AssertClose([255, 0, 0], probe.Pixel(probe.Width - 1, probe.Height - 1), 1);
    }

    [Fact]
    public void Render_OddAngleWithTranslucentBackground_AddsAnAlphaChannel()
    {
        using var probe = RenderHarness.RenderAndProbe(Flower, "t.resize(w:300)~t.rotate(a:45,b:ffffff00)~t.toFormat(f:png)");

        Assert.True(probe.HasAlpha);
        Assert.Equal(0, probe.Pixel(0, 0)[3]);
        Assert.Equal(255, probe.Pixel(probe.Width / 2, probe.Height / 2)[3]);
    }
}
