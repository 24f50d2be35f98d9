using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Tests.Common;

namespace CdnProxy.Core.Tests.Transformations.SixPx;

public class NoiseTests
{
    private static readonly byte[] Grey = FilterHarness.Solid([128, 128, 128], 64, 64);

    [Fact]
    public void Bind_Defaults_Zero() => Assert.Equal("filter.noise(a:0)", RenderHarness.Canonical("filter.noise()"));

    [Theory]
    [InlineData("-1")]
    [InlineData("101")]
    public void Bind_OutOfRange_IsRefused(string value) => FilterHarness.AssertRefused($"filter.noise(a:{value})", "a");

    [Fact]
    public void Render_Twenty_AddsMonochromeGrainOfTheExpectedSpread()
    {
        using var probe = RenderHarness.RenderAndProbe(Grey, "filter.noise(a:20)~t.toFormat(f:png)");
        var values = new List<double>();
        for (var y = 0; y < probe.Height; y += 2)
        {
            for (var x = 0; x < probe.Width; x += 2)
            {
                var p = probe.Pixel(x, y);
                Assert.Equal(p[0], p[1]);
                Assert.Equal(p[0], p[2]);
                values.Add(p[0]);
            }
        }

        var mean = values.Average();
        var deviation = Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));

        // A uniform ±51 has the standard deviation 29.4.
        Assert.InRange(mean, 122, 134);
        Assert.InRange(deviation, 24, 35);
    }

    [Fact]
    public void Render_IsRepeatable()
    {
        var first = RenderHarness.Render(Grey, "filter.noise(a:50)~t.toFormat(f:png)").Bytes;
        var second = RenderHarness.Render(Grey, "filter.noise(a:50)~t.toFormat(f:png)").Bytes;
        Assert.Equal(first, second);
    }

    [Fact]
    public void Render_WithAlpha_KeepsAlpha()
    {
        using var probe = ImageProbe.Open(RenderHarness.Render(FilterHarness.Solid([100, 150, 200, 128]), "filter.noise(a:60)~t.toFormat(f:png)").Bytes);
        Assert.Equal(128, probe.Pixel(3, 3)[3]);
    }
}
