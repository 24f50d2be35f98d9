using System.Text;
using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Tests.Common;

namespace CdnProxy.Core.Tests.Transformations.SixPx;

public class LayerTests
{
    private const string LayerFile = "logos/red.png";

    private static readonly string Id = Convert.ToBase64String(Encoding.UTF8.GetBytes(LayerFile));

    private static ImageProbe Layer(string arguments)
    {
        var files = new Dictionary<string, byte[]> { [LayerFile] = FilterHarness.Solid([255, 0, 0], 5, 5) };
        var rendered = RenderHarness.Render(FilterHarness.Solid([100, 150, 200], 20, 20), $"filter.layer(i:{Id},{arguments})~t.toFormat(f:png)", files);
        return ImageProbe.Open(rendered.Bytes);
    }

    [Fact]
    public void Bind_BadFileId_IsRefused() => FilterHarness.AssertRefused("filter.layer(i:..)", "i");

    [Fact]
    public void Render_WithoutImage_DrawsNothing() =>
        FilterHarness.AssertPixel([100, 150, 200], FilterHarness.OnSolid("filter.layer(x:1)", 100, 150, 200), 0);

    [Theory]
    [InlineData("o", "1.5")]
    [InlineData("x", "-1")]
    [InlineData("y", "-1")]
    public void Bind_OutOfRange_IsRefused(string key, string value) => FilterHarness.AssertRefused($"filter.layer(i:{Id},{key}:{value})", key);

    [Fact]
    public void Bind_ReferencesTheFile() =>
        Assert.Equal([LayerFile], Assert.IsType<CdnProxy.Core.Transformations.SixPx.Layer>(RenderHarness.Bind($"filter.layer(i:{Id})").Transformations.Single()).ReferencedFiles);

    [Fact]
    public void Render_Opaque_DrawsAtThePosition()
    {
        using var probe = Layer("x:10,y:12");
        Assert.Equal((20, 20), (probe.Width, probe.Height));
        FilterHarness.AssertPixel([255, 0, 0], probe.Pixel(12, 14), 0);
        FilterHarness.AssertPixel([100, 150, 200], probe.Pixel(9, 14), 0);
        FilterHarness.AssertPixel([100, 150, 200], probe.Pixel(15, 14), 0);
    }

    [Fact]
    public void Render_HalfOpacity_Blends()
    {
        using var probe = Layer("x:0,y:0,o:0.5");
        FilterHarness.AssertPixel([177.5, 75, 100], probe.Pixel(2, 2), 1);
    }

    [Fact]
    public void Render_PastTheEdge_IsClipped()
    {
        using var probe = Layer("x:18,y:18");
        Assert.Equal((20, 20), (probe.Width, probe.Height));
        FilterHarness.AssertPixel([255, 0, 0], probe.Pixel(19, 19), 0);
    }
}
