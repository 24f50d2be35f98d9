using MergeStep = CdnProxy.Core.Transformations.Basic.Merge;
using System.Text;
using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Tests.Common;
using CdnProxy.Urls.Grammar;

namespace CdnProxy.Core.Tests.Transformations.Basic;

public class MergeTests
{
    private const string Logo = "brand/logo";

    private static readonly byte[] Flower = TestImages.Read(TestImages.Flower);

    private static readonly byte[] Tulips = TestImages.Read(TestImages.Sample("alpha-500-tulips.png"));

    // 300x200 opaque base, and a 40x30 opaque overlay with distinct pixels everywhere (both lossless PNG).
    private static readonly Lazy<byte[]> Base = new(() => RenderHarness.Render(Flower, "t.resize(w:300)~t.toFormat(f:png)").Bytes);

    private static readonly Lazy<byte[]> Small = new(() => RenderHarness.Render(Flower, "t.resize(w:40,h:30)~t.toFormat(f:png)").Bytes);

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static ImageProbe Merge(string merge, byte[]? overlay = null, byte[]? source = null, string format = "png", double dpr = 1)
    {
        var files = overlay is null ? new Dictionary<string, byte[]>() : new Dictionary<string, byte[]> { [Logo] = overlay };
        var pattern = $"t.merge({merge})~t.toFormat(f:{format})";
        return ImageProbe.Open(RenderHarness.Render(source ?? Base.Value, pattern, files, dpr).Bytes);
    }

    private static string Image => "i:" + B64(Logo);

    [Fact]
    public void Bind_NoArguments_CanonicalFormHasEveryDefaultOfTheSdk()
    {
        Assert.Equal(
            "t.merge(b:over,bg:00000000,g:center,h:0,l:0,m:overlay,r:false,t:0,w:0)",
            RenderHarness.Canonical("t.merge()"));
    }

    [Theory]
    [InlineData("b:color-dodge,g:centre", "b:colour-dodge,bg:00000000,g:center")]
    [InlineData("b:COLOR-BURN,bg:FF0000", "b:colour-burn,bg:ff0000,g:center")]
    [InlineData("m:wrap,bboxes:[[10_10_100_100]_[200_20_100_100]]", "b:over,bboxes:[[10_10_100_100]_[200_20_100_100]],bg:00000000")]
    public void Bind_Arguments_AreNormalisedInTheCanonicalForm(string arguments, string canonicalStart)
    {
        Assert.Contains(canonicalStart, RenderHarness.Canonical($"t.merge({arguments})"), StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_ParserTestUrlOfTheSpec_Binds()
    {
        var canonical = RenderHarness.Canonical("t.merge(m:underlay,i:eU44YkFJOHlVMmZrWVRDOUNTRm1D,b:screen,r:true)");

        Assert.Equal("t.merge(b:screen,bg:00000000,g:center,h:0,i:eU44YkFJOHlVMmZrWVRDOUNTRm1D,l:0,m:underlay,r:true,t:0,w:0)", canonical);
    }

    [Fact]
    public void Bind_NestedPattern_IsBoundAndCanonicalisedThroughTheCatalog()
    {
        var plan = RenderHarness.Bind($"t.merge({Image},tr:{B64("t.resize(w:10)~t.flip()")})");

        var merge = Assert.IsType<MergeStep>(plan.Transformations.Single());
        Assert.Equal(2, merge.Nested.Count);
        var nested = "t.resize(b:000000,dpr:1,f:cover,h:0,k:lanczos3,p:center,w:10)~t.flip()";
        Assert.Contains("tr:" + ValueGrammar.EncodeBase64Url(Encoding.UTF8.GetBytes(nested)), plan.Canonical, StringComparison.Ordinal);
        Assert.Equal(plan.Canonical, RenderHarness.Canonical(plan.Canonical));
    }

    [Fact]
    public void ReferencedFiles_IncludeTheImageAndNestedMergeImages()
    {
        var inner = $"t.merge(i:{B64("inner")})";
        var merge = (MergeStep)RenderHarness.Bind($"t.merge({Image},tr:{B64(inner)})").Transformations.Single();

        Assert.Equal([Logo, "inner"], merge.ReferencedFiles);
        Assert.Empty(((MergeStep)RenderHarness.Bind("t.merge(bg:ff0000)").Transformations.Single()).ReferencedFiles);
    }

    public static TheoryData<string> BlendTokens => [
        "over", "in", "out", "atop", "dest", "dest-over", "dest-in", "dest-out", "dest-atop", "xor", "add", "saturate",
        "multiply", "screen", "overlay", "darken", "lighten", "colour-dodge", "color-dodge", "colour-burn", "color-burn",
        "hard-light", "soft-light", "difference", "exclusion"];

    [Theory]
    [MemberData(nameof(BlendTokens))]
    public void Render_EveryBlendModeOfTheSpec_Renders(string blend)
    {
        using var probe = Merge($"bg:ff000080,w:50,h:40,b:{blend}");

        Assert.Equal((300, 200), (probe.Width, probe.Height));
    }

    [Theory]
    [InlineData("m", "zigzag")]
    [InlineData("b", "plus")]
    [InlineData("g", "middle")]
    [InlineData("h", "-1")]
    [InlineData("w", "100001")]
    [InlineData("t", "-5")]
    [InlineData("l", "x")]
    [InlineData("r", "maybe")]
    [InlineData("bg", "red")]
    [InlineData("i", "!!")]
    [InlineData("bboxes", "[[1_2_3]]")]
    [InlineData("polys", "[[[1_2]_[3_4]]]")]
    public void Bind_BadValue_InvalidArgumentNamingTheKey(string key, string value)
    {
        AssertInvalid($"t.merge({key}:{value})", key);
    }

    [Theory]
    [InlineData("../secret")]
    [InlineData("/etc/passwd")]
    [InlineData("a//b")]
    public void Bind_FileIdThatIsNotASafePath_InvalidArgument(string fileId)
    {
        AssertInvalid($"t.merge(i:{B64(fileId)})", "i");
    }

    [Fact]
    public void Bind_FileIdLongerThanARequestPath_InvalidArgument()
    {
        AssertInvalid($"t.merge(i:{B64(new string('a', 1025))})", "i");
    }

    [Theory]
    [InlineData("t.toFormat(f:png)")]
    [InlineData("t.compress(q:50)")]
    [InlineData("t.resize(w:abc)")]
    [InlineData("t.nope()")]
    [InlineData("p:thumb")]
    public void Bind_NestedPatternWithABadStep_InvalidArgumentNamingTr(string nested)
    {
        AssertInvalid($"t.merge(tr:{B64(nested)})", "tr");
    }

    [Theory]
    [InlineData("h:10", "h")]
    [InlineData("w:10", "w")]
    public void Bind_BoxSizeWithAnImage_InvalidArgument(string size, string key)
    {
        AssertInvalid($"t.merge({Image},{size})", key);
    }

    [Theory]
    [InlineData("bboxes:[[0_0_10_10]]", "bboxes")]
    [InlineData("m:underlay,polys:[[[0_0]_[10_0]_[0_10]]]", "polys")]
    [InlineData("m:wrap,bboxes:[[0_0_0_10]]", "bboxes")]
    [InlineData("m:wrap,bboxes:[[0_0_10001_10]]", "bboxes")]
    [InlineData("m:wrap,polys:[[[0_0]_[10_0]_[20_0]]]", "polys")]
    public void Bind_BadRegions_InvalidArgument(string arguments, string key)
    {
        AssertInvalid($"t.merge({arguments})", key);
    }

    [Fact]
    public void Bind_TooManyRegions_InvalidArgument()
    {
        var boxes = string.Join("_", Enumerable.Repeat("[0_0_1_1]", MergeStep.MaxRegions + 1));

        AssertInvalid($"t.merge(m:wrap,bboxes:[{boxes}])", "bboxes");
    }

    [Theory]
    [InlineData("center", 125, 80)]
    [InlineData("north", 125, 0)]
    [InlineData("northeast", 249, 0)]
    [InlineData("east", 249, 80)]
    [InlineData("southeast", 249, 159)]
    [InlineData("south", 125, 159)]
    [InlineData("southwest", 0, 159)]
    [InlineData("west", 0, 80)]
    [InlineData("northwest", 0, 0)]
    public void Render_ColourBox_IsPlacedBySharpsGravity(string gravity, int left, int top)
    {
        // sharp centres with (outer - inner + 1) / 2: (300 - 51 + 1) / 2 = 125, (200 - 41 + 1) / 2 = 80.
        using var probe = Merge($"bg:ff0000,w:51,h:41,g:{gravity}");

        AssertBox(probe, left, top, 51, 41, [255, 0, 0]);
        Assert.Equal(3, probe.Bands);
    }

    [Theory]
    [InlineData("g:custom,t:10,l:20")]
    [InlineData("t:10,l:20")]
    [InlineData("g:southeast,t:10,l:20")]
    public void Render_TopAndLeft_WinOverGravity(string placement)
    {
        using var probe = Merge($"bg:00ff00,w:30,h:20,{placement}");

        AssertBox(probe, 20, 10, 30, 20, [0, 255, 0]);
    }

    [Fact]
    public void Render_CustomGravityAtZero_IsTheTopLeftCorner()
    {
        using var probe = Merge("bg:0000ff,w:30,h:20,g:custom");

        AssertBox(probe, 0, 0, 30, 20, [0, 0, 255]);
    }

    [Fact]
    public void Render_BoxSizeZero_CoversTheWholeSide()
    {
        using var probe = Merge("bg:ff0000,h:20");

        AssertBox(probe, 0, 90, 300, 20, [255, 0, 0]);
    }

    [Fact]
    public void Render_DefaultTransparentBox_LeavesTheBaseUnchanged()
    {
        using var original = ImageProbe.Open(Base.Value);
        using var probe = Merge(string.Empty);

        Assert.Equal(3, probe.Bands);
        Assert.Equal(original.Pixel(150, 100), probe.Pixel(150, 100));
    }

    [Fact]
    public void Render_Image_OverlaysItsPixelsAtTheOffset()
    {
        using var overlay = ImageProbe.Open(Small.Value);
        using var probe = Merge($"{Image},t:7,l:11", Small.Value);

        foreach (var (x, y) in new[] { (0, 0), (39, 29), (20, 15) })
        {
            Assert.Equal(overlay.Pixel(x, y), probe.Pixel(x + 11, y + 7));
        }
    }

    [Fact]
    public void Render_TranslucentImageOnOpaqueBase_BlendsAndKeepsNoAlpha()
    {
        using var base_ = ImageProbe.Open(Base.Value);
        var tulips = RenderHarness.Render(Tulips, "t.resize(w:100)").Bytes;
        using var overlay = ImageProbe.Open(tulips);
        using var probe = Merge($"{Image},g:northwest", tulips);

        Assert.Equal(3, probe.Bands);
        var (clear, solid) = (Find(overlay, alpha => alpha <= 4), Find(overlay, alpha => alpha == 255));
        ResizeTests.AssertClose(base_.Pixel(clear.X, clear.Y), probe.Pixel(clear.X, clear.Y), 4);
        Assert.Equal(overlay.Pixel(solid.X, solid.Y)[..3], probe.Pixel(solid.X, solid.Y));
    }

    [Fact]
    public void Render_BaseWithAlpha_KeepsAlpha()
    {
        using var probe = Merge("bg:ff0000,w:10,h:10,g:northwest", source: Tulips);

        Assert.Equal(4, probe.Bands);
        Assert.Equal([255, 0, 0, 255], probe.Pixel(5, 5));
    }

    [Theory]
    [InlineData("multiply")]
    [InlineData("screen")]
    [InlineData("difference")]
    [InlineData("darken")]
    [InlineData("lighten")]
    public void Render_SeparableBlends_FollowTheirFormulas(string blend)
    {
        using var base_ = ImageProbe.Open(Base.Value);
        using var probe = Merge($"bg:4080c0,w:60,h:60,g:northwest,b:{blend}");

        double[] colour = [0x40, 0x80, 0xc0];
        foreach (var (x, y) in new[] { (5, 5), (30, 40), (59, 59) })
        {
            var below = base_.Pixel(x, y);
            var expected = below.Select((b, i) => blend switch
            {
                "multiply" => b * colour[i] / 255,
                "screen" => 255 - ((255 - b) * (255 - colour[i]) / 255),
                "difference" => Math.Abs(b - colour[i]),
                "darken" => Math.Min(b, colour[i]),
                _ => Math.Max(b, colour[i]),
            }).ToArray();
            ResizeTests.AssertClose(expected, probe.Pixel(x, y), 1.5);
        }

        Assert.Equal(3, probe.Bands);
    }

    [Theory]
    [InlineData("dest-out", 0)]
    [InlineData("out", 0)]
    [InlineData("in", 255)]
    [InlineData("xor", 0)]
    public void Render_BlendsThatCutTheBase_KeepTheAlphaTheyMake(string blend, int alphaInsideBox)
    {
        using var probe = Merge($"bg:ff0000,w:60,h:60,g:northwest,b:{blend}");

        Assert.Equal(4, probe.Bands);
        Assert.Equal(alphaInsideBox, probe.Pixel(30, 30)[3]);
    }

    /// <summary>
    /// Whether sharp's composite of a half-transparent box with an opaque base is translucent anywhere, measured with
    /// sharp 0.35.5 for every blend (overlay: the box composited over the base; underlay: the base over the box on a
    /// transparent canvas). The alpha band may be dropped exactly where sharp's alpha is 255 everywhere.
    /// </summary>
    [Theory]
    [InlineData("over", false, false)]
    [InlineData("in", true, true)]
    [InlineData("out", true, true)]
    [InlineData("atop", false, true)]
    [InlineData("dest", false, true)]
    [InlineData("dest-over", false, false)]
    [InlineData("dest-in", true, true)]
    [InlineData("dest-out", true, true)]
    [InlineData("dest-atop", true, false)]
    [InlineData("xor", true, true)]
    [InlineData("add", false, false)]
    [InlineData("saturate", false, false)]
    [InlineData("multiply", false, false)]
    [InlineData("screen", false, false)]
    [InlineData("overlay", false, false)]
    [InlineData("darken", false, false)]
    [InlineData("lighten", false, false)]
    [InlineData("colour-dodge", false, false)]
    [InlineData("colour-burn", false, false)]
    [InlineData("hard-light", false, false)]
    [InlineData("soft-light", false, false)]
    [InlineData("difference", false, false)]
    [InlineData("exclusion", false, false)]
    public void Render_OpaqueBase_KeepsAlphaExactlyWhereSharpIsTranslucent(string blend, bool overlayTranslucent, bool underlayTranslucent)
    {
        using var overlay = Merge($"bg:ff000080,w:60,h:60,g:northwest,b:{blend}");
        using var underlay = Merge($"m:underlay,bg:ff000080,w:60,h:60,g:northwest,b:{blend}");

        Assert.Equal(overlayTranslucent, IsTranslucentSomewhere(overlay));
        Assert.Equal(underlayTranslucent, IsTranslucentSomewhere(underlay));
    }

    private static bool IsTranslucentSomewhere(ImageProbe probe)
    {
        if (!probe.HasAlpha)
        {
            return false;
        }

        Assert.True(AlphaBand.Lowest(probe.Image) < 255, "an alpha band that is opaque everywhere should have been dropped");
        return true;
    }

    [Fact]
    public void Render_Tile_RepeatsTheImageCentredAsSharpDoes()
    {
        // 300x200 with 40x30 tiles: 8 → 9 across (odd, centred), 7 down; the 360x210 repetition is cut at
        // ((360 - 300 + 1) / 2, (210 - 200 + 1) / 2) = (30, 5).
        using var overlay = ImageProbe.Open(Small.Value);
        using var probe = Merge($"{Image},r:true", Small.Value);

        foreach (var (x, y) in new[] { (0, 0), (9, 24), (10, 25), (299, 199), (157, 101) })
        {
            Assert.Equal(overlay.Pixel((x + 30) % 40, (y + 5) % 30), probe.Pixel(x, y));
        }
    }

    [Fact]
    public void Render_TileWithNorthwestGravity_StartsAtTheCorner()
    {
        using var overlay = ImageProbe.Open(Small.Value);
        using var probe = Merge($"{Image},r:true,g:northwest", Small.Value);

        foreach (var (x, y) in new[] { (0, 0), (41, 31), (299, 199) })
        {
            Assert.Equal(overlay.Pixel(x % 40, y % 30), probe.Pixel(x, y));
        }
    }

    [Fact]
    public void Render_TileWithOffsets_ShiftsTheRepetition()
    {
        using var overlay = ImageProbe.Open(Small.Value);
        using var probe = Merge($"{Image},r:true,t:4,l:6", Small.Value);

        foreach (var (x, y) in new[] { (0, 0), (41, 31), (299, 199) })
        {
            Assert.Equal(overlay.Pixel((x + 6) % 40, (y + 4) % 30), probe.Pixel(x, y));
        }
    }

    [Fact]
    public void Render_ImageLargerThanTheBase_IsScaledDownToFit()
    {
        var large = RenderHarness.Render(Flower, "t.resize(w:600)~t.toFormat(f:png)").Bytes;
        var expected = RenderHarness.Render(Flower, "t.resize(w:300)~t.toFormat(f:png)").Bytes;

        var merged = RenderHarness.Render(Base.Value, $"t.merge({Image})~t.toFormat(f:png)", new Dictionary<string, byte[]> { [Logo] = large }).Bytes;

        Assert.True(RenderHarness.MeanDifference(expected, merged) < 2);
    }

    [Fact]
    public void Render_Underlay_ShowsThroughTransparentPartsOnly()
    {
        using var base_ = ImageProbe.Open(Tulips);
        using var probe = Merge("m:underlay,bg:00ff00", source: Tulips);

        // The vignette's alpha goes down to 2, never 0.
        var (clear, solid) = (Find(base_, alpha => alpha <= 4), Find(base_, alpha => alpha == 255));
        ResizeTests.AssertClose([0, 255, 0, 255], probe.Pixel(clear.X, clear.Y), 4);
        Assert.Equal(base_.Pixel(solid.X, solid.Y), probe.Pixel(solid.X, solid.Y));
    }

    [Theory]
    [InlineData("l:500")]
    [InlineData("t:500")]
    [InlineData("l:99999,t:99999")]
    public void Render_UnderlayPlacedPastTheBase_LeavesTheBaseAsItIs(string offset)
    {
        // Was a 500: libvips cannot embed an image wholly outside its canvas.
        using var base_ = ImageProbe.Open(Tulips);
        using var probe = Merge($"m:underlay,bg:00ff00,{offset}", source: Tulips);

        var clear = Find(base_, alpha => alpha <= 4);
        Assert.Equal((base_.Width, base_.Height), (probe.Width, probe.Height));
        Assert.Equal(base_.Pixel(clear.X, clear.Y), probe.Pixel(clear.X, clear.Y));
    }

    [Fact]
    public void Render_UnderlayBeneathAnOpaqueBase_ChangesNothingAndAddsNoAlpha()
    {
        using var original = ImageProbe.Open(Base.Value);
        using var probe = Merge($"m:underlay,{Image},g:northwest", Small.Value);

        Assert.Equal(3, probe.Bands);
        Assert.Equal(original.Pixel(10, 10), probe.Pixel(10, 10));
    }

    [Fact]
    public void Render_WrapBoxes_FillEachRectangle()
    {
        using var probe = Merge("m:wrap,bg:ff0000,bboxes:[[10_20_30_40]_[100_200_50_60]]");

        AssertBox(probe, 20, 10, 40, 30, [255, 0, 0]);
        AssertBox(probe, 200, 100, 60, 50, [255, 0, 0]);
    }

    [Fact]
    public void Render_WrapBox_StretchesTheImageToTheRegion()
    {
        using var overlay = ImageProbe.Open(Small.Value);
        using var probe = Merge($"m:wrap,{Image},bboxes:[[50_100_60_80]]", Small.Value);

        // 40x30 stretched twice: the overlay's corner pixels land on the region's corners.
        ResizeTests.AssertClose(overlay.Pixel(0, 0), probe.Pixel(100, 50), 12);
        ResizeTests.AssertClose(overlay.Pixel(39, 29), probe.Pixel(179, 109), 12);
    }

    [Fact]
    public void Render_WrapPolygon_FillsOnlyInsideThePolygon()
    {
        using var original = ImageProbe.Open(Base.Value);
        using var probe = Merge("m:wrap,bg:ff0000,polys:[[[10_10]_[110_10]_[10_110]]]");

        Assert.Equal([255, 0, 0], probe.Pixel(12, 12));
        Assert.Equal([255, 0, 0], probe.Pixel(50, 60));
        Assert.Equal(original.Pixel(90, 90), probe.Pixel(90, 90));
        Assert.Equal(original.Pixel(5, 5), probe.Pixel(5, 5));
        Assert.Equal(3, probe.Bands);
    }

    [Fact]
    public void Render_WrapPolygonWithImage_MasksTheStretchedImage()
    {
        using var overlay = ImageProbe.Open(Small.Value);
        using var original = ImageProbe.Open(Base.Value);
        using var probe = Merge($"m:wrap,{Image},polys:[[[0_0]_[40_0]_[40_30]]]", Small.Value);

        Assert.Equal(overlay.Pixel(35, 5), probe.Pixel(35, 5));
        Assert.Equal(original.Pixel(5, 25), probe.Pixel(5, 25));
    }

    [Fact]
    public void Render_WrapPolygonPartlyOutside_IsClippedAndOutsideIsSkipped()
    {
        using var probe = Merge("m:wrap,bg:ff0000,polys:[[[-50_-50]_[50_-50]_[50_50]_[-50_50]]_[[400_400]_[500_400]_[500_500]]]");

        AssertBox(probe, 0, 0, 50, 50, [255, 0, 0]);
    }

    [Fact]
    public void Render_NestedPattern_TransformsTheImageFirst()
    {
        using var overlay = ImageProbe.Open(Small.Value);
        using var probe = Merge($"{Image},g:northwest,tr:{B64("t.flop()")}", Small.Value);

        Assert.Equal(overlay.Pixel(39, 0), probe.Pixel(0, 0));
        Assert.Equal(overlay.Pixel(0, 29), probe.Pixel(39, 29));
    }

    [Fact]
    public void Render_RequestDpr_DoesNotScaleTheMerge()
    {
        using var probe = Merge("bg:ff0000,w:30,h:20,g:northwest", dpr: 2);

        AssertBox(probe, 0, 0, 30, 20, [255, 0, 0]);
    }

    [Fact]
    public void Render_CorruptMergeImage_IsUndecodable()
    {
        var photo = TestImages.Read(TestImages.Flower);

        var truncated = Assert.Throws<CdnException>(() => Merge(Image, photo[..(photo.Length / 3)]));
        var random = Assert.Throws<CdnException>(() => Merge(Image, [.. Enumerable.Range(0, 512).Select(i => (byte)(i * 31))]));

        Assert.Equal(CdnErrorKind.UndecodableImage, truncated.Kind);
        Assert.Equal(CdnErrorKind.UndecodableImage, random.Kind);
        Assert.Contains("merge image", truncated.Message, StringComparison.Ordinal);
    }

    private static void AssertInvalid(string pattern, string key)
    {
        var e = Assert.Throws<CdnException>(() => RenderHarness.Bind(pattern));

        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
        Assert.Contains($"'{key}'", e.Message, StringComparison.Ordinal);
    }

    /// <summary>The box's corners and centre have the colour, and the pixels just outside it do not.</summary>
    private static void AssertBox(ImageProbe probe, int left, int top, int width, int height, double[] colour)
    {
        int right = left + width - 1, bottom = top + height - 1;
        foreach (var (x, y) in new[] { (left, top), (right, top), (left, bottom), (right, bottom), (left + (width / 2), top + (height / 2)) })
        {
            Assert.Equal(colour, probe.Pixel(x, y)[..3]);
        }

        foreach (var (x, y) in new[] { (left - 1, top), (right + 1, bottom), (left, top - 1), (right, bottom + 1) })
        {
            if (x >= 0 && y >= 0 && x < probe.Width && y < probe.Height)
            {
                Assert.NotEqual(colour, probe.Pixel(x, y)[..3]);
            }
        }
    }

    private static (int X, int Y) Find(ImageProbe probe, Func<double, bool> alpha)
    {
        for (var y = 2; y < probe.Height; y += 7)
        {
            for (var x = 2; x < probe.Width; x += 7)
            {
                if (alpha(probe.Pixel(x, y)[3]))
                {
                    return (x, y);
                }
            }
        }

        throw new InvalidOperationException("No such pixel");
    }
}
