using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Core.Transformations;
using CdnProxy.Core.Transformations.SixPx;
using CdnProxy.Tests.Common;

namespace CdnProxy.Core.Tests.Transformations.SixPx;

public class CropTests
{
    /// <summary>100×50 whose red value is the column and green value the row: a crop's origin can be read from its first pixel.</summary>
    private static readonly Lazy<byte[]> Coordinates = new(() =>
    {
        VipsTestRuntime.Ensure();
        using var xy = VipsImage.Xyz(100, 50);
        using var blue = VipsImage.Black(100, 50);
        using var joined = xy.Bandjoin(blue);
        using var eightBit = joined.Cast(NetVips.Enums.BandFormat.Uchar).Copy(interpretation: NetVips.Enums.Interpretation.Srgb);
        return eightBit.PngsaveBuffer();
    });

    private static ImageProbe Crop(string arguments) => RenderHarness.RenderAndProbe(Coordinates.Value, $"filter.crop({arguments})~t.toFormat(f:png)");

    [Fact]
    public void Bind_Defaults_WholeImage() => Assert.Equal("filter.crop(face:false,h:0,pad:0,w:0,x:0,y:0)", RenderHarness.Canonical("filter.crop()"));

    [Theory]
    [InlineData("x")]
    [InlineData("y")]
    [InlineData("w")]
    [InlineData("h")]
    [InlineData("pad")]
    public void Bind_Negative_IsRefused(string key) => FilterHarness.AssertRefused($"filter.crop({key}:-1)", key);

    [Fact]
    public void Bind_FaceWithARegion_IsRefused() => FilterHarness.AssertRefused("filter.crop(face:true,w:10)", "face");

    [Fact]
    public void Face_KeepsTheLargestFace_PaddedAndClipped()
    {
        using var image = VipsImage.NewFromBuffer(Coordinates.Value);
        var detector = new FixedFaces([new(60, 30, 10, 10), new(20, 10, 30, 20)]);

        using var cropped = new Crop(0, 0, 0, 0, 15, Face: true).Apply(image, new RenderContext(new RenderLimits(), 1) { Faces = detector });

        Assert.Equal((5, 0, 60, 45), (cropped.Getpoint(0, 0)[0], cropped.Getpoint(0, 0)[1], cropped.Width, cropped.Height));
    }

    [Fact]
    public void Face_WithNoFaceFound_KeepsTheWholeImage()
    {
        using var image = VipsImage.NewFromBuffer(Coordinates.Value);

        using var kept = new Crop(0, 0, 0, 0, 15, Face: true).Apply(image, new RenderContext(new RenderLimits(), 1) { Faces = new FixedFaces([]) });

        Assert.Equal((100, 50), (kept.Width, kept.Height));
    }

    /// <summary>Answers the same boxes for any image (the test images are under the detector's 640 px, so no scaling).</summary>
    private sealed class FixedFaces(CdnProxy.Core.Transformations.Faces.FaceBox[] faces) : CdnProxy.Core.Transformations.Faces.IFaceDetector
    {
        public IReadOnlyList<CdnProxy.Core.Transformations.Faces.FaceBox> Detect(VipsImage luminance) => faces;
    }

    [Fact]
    public void Render_Region_KeepsThatRegion()
    {
        using var probe = Crop("x:10,y:5,w:20,h:10");
        Assert.Equal((20, 10), (probe.Width, probe.Height));
        Assert.Equal([10.0, 5, 0], probe.Pixel(0, 0));
        Assert.Equal([29.0, 14, 0], probe.Pixel(19, 9));
    }

    [Fact]
    public void Render_Padding_GrowsTheRegionWithinTheImage()
    {
        using var probe = Crop("x:10,y:5,w:20,h:10,pad:8");
        Assert.Equal((36, 23), (probe.Width, probe.Height));
        Assert.Equal([2.0, 0, 0], probe.Pixel(0, 0));
    }

    [Fact]
    public void Render_ZeroSides_ReachTheEdges()
    {
        using var probe = Crop("x:90,y:40");
        Assert.Equal((10, 10), (probe.Width, probe.Height));
        Assert.Equal([99.0, 49, 0], probe.Pixel(9, 9));
    }

    [Fact]
    public void Render_LargerThanTheImage_IsClipped()
    {
        using var probe = Crop("x:50,w:500,h:500");
        Assert.Equal((50, 50), (probe.Width, probe.Height));
    }

    [Fact]
    public void Render_StartOutside_IsInvalidArgument()
    {
        var e = Assert.Throws<CdnException>(() => RenderHarness.Render(Coordinates.Value, "filter.crop(x:100)"));
        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
    }
}
