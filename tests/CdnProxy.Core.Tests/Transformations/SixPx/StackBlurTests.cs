using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Core.Transformations.SixPx;
using CdnProxy.Tests.Common;
using NetVips;

namespace CdnProxy.Core.Tests.Transformations.SixPx;

public class StackBlurTests
{
    [Fact]
    public void Bind_Defaults_Zero() => Assert.Equal("filter.stackBlur(a:0)", RenderHarness.Canonical("filter.stackBlur()"));

    [Theory]
    [InlineData("-1")]
    [InlineData("101")]
    [InlineData("2.5")]
    public void Bind_OutOfRange_IsRefused(string value) => FilterHarness.AssertRefused($"filter.stackBlur(a:{value})", "a");

    [Fact]
    public void Tent_IsStackBlursWeights() => Assert.Equal([1.0, 2, 3, 2, 1], StackBlur.Tent(2));

    [Fact]
    public void Render_WhiteDot_SpreadsAsTheTentSquared()
    {
        using var probe = RenderHarness.RenderAndProbe(FilterHarness.Dot(21, 0, 255), "filter.stackBlur(a:2)~t.toFormat(f:png)");

        // weights (3/9)·(3/9) at the centre, (2/9)·(3/9) beside it, (1/9)·(1/9) at the corner of the 5×5 footprint, none
        // beyond: 28.3, 18.9 and 3.1 levels, within the one level that computing in integers may add.
        Assert.InRange(probe.Pixel(10, 10)[0], 27, 29);
        Assert.InRange(probe.Pixel(11, 10)[0], 18, 20);
        Assert.InRange(probe.Pixel(12, 12)[0], 2, 4);
        Assert.Equal(0, probe.Pixel(13, 10)[0]);
    }

    [Theory]
    [InlineData("photo", 1)]
    [InlineData("photo", 7)]
    [InlineData("photo", 40)]
    [InlineData("photo", 100)]
    [InlineData("edge", 30)]
    [InlineData("edge", 100)]
    public void Render_MatchesTheExactTentWithinOneLevel(string input, int radius)
    {
        // Lossless inputs, so the render and the reference start from the same pixels: a 480×320 cut of the photo, or
        // black and white halves (the hardest case for a blur computed in integers).
        VipsTestRuntime.Ensure();
        using var image = input == "photo" ? PhotoCut() : BlackWhiteHalves();
        var source = image.PngsaveBuffer();

        using var rendered = VipsImage.NewFromBuffer(RenderHarness.Render(source, $"filter.stackBlur(a:{radius})~t.toFormat(f:png)").Bytes);
        using var tent = VipsImage.NewFromArray(StackBlur.Tent(radius), scale: (radius + 1.0) * (radius + 1.0));
        using var exact = image.Convsep(tent, precision: Enums.Precision.Float);
        using var rounded = exact.Round(Enums.OperationRound.Rint);
        using var difference = (rendered - rounded).Abs();

        Assert.Equal(image.Width, rendered.Width);
        Assert.True(difference.Max() <= 1.0, $"largest difference {difference.Max():0.###} levels");
    }

    private static VipsImage PhotoCut()
    {
        using var photo = VipsImage.NewFromFile(TestImages.Flower);
        return photo.ExtractArea(700, 500, 480, 320);
    }

    private static VipsImage BlackWhiteHalves()
    {
        using var ramp = VipsImage.Xyz(480, 320);
        using var x = ramp.ExtractBand(0);
        using var halves = (x > 240).Ifthenelse(255, 0);
        using var grey = halves.Cast(Enums.BandFormat.Uchar);
        using var rgb = grey.Bandjoin([grey, grey]);
        return rgb.Copy(interpretation: Enums.Interpretation.Srgb);
    }

    [Fact]
    public void Render_Flat_IsUnchanged() =>
        FilterHarness.AssertPixel([100, 150, 200], FilterHarness.OnSolid("filter.stackBlur(a:3)", 100, 150, 200), 0);

    [Fact]
    public void Render_WithAlpha_KeepsAlpha() => FilterHarness.AssertKeepsAlpha("filter.stackBlur(a:3)");
}
