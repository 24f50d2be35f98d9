using CdnProxy.Tests.Common;

namespace CdnProxy.Vips.Tests;

public class VipsLoaderTests
{
    [Theory]
    [InlineData("VipsForeignLoadJpegBuffer", 7.56, 4)]
    [InlineData("VipsForeignLoadJpegBuffer", 8, 8)]
    [InlineData("VipsForeignLoadJpegBuffer", 20, 8)]
    [InlineData("VipsForeignLoadJpegBuffer", 3.99, 2)]
    [InlineData("VipsForeignLoadJpegBuffer", 1.82, 1)]
    [InlineData("VipsForeignLoadWebpBuffer", 4.5, 4)]
    [InlineData("VipsForeignLoadPngBuffer", 10, 1)]
    [InlineData("VipsForeignLoadGifBuffer", 10, 1)]
    public void ShrinkOnLoadFactor_IsTheLargestPowerOfTwoNotAboveTheReduction(string loader, double reduction, int expected) =>
        Assert.Equal(expected, VipsLoader.ShrinkOnLoadFactor(loader, reduction));

    [Fact]
    public void LoadShrunk_Jpeg_DecodesAQuarterOfEachSide()
    {
        VipsTestRuntime.Ensure();
        var flower = TestImages.Read(TestImages.Flower);
        var loader = VipsLoader.FindLoader(flower)!;
        using var source = VipsLoader.CopyToSource(flower);

        using var shrunk = VipsLoader.LoadShrunk(loader, source, shrink: 4, sequential: true);

        Assert.Equal((567, 378), (shrunk.Width, shrunk.Height));
    }

    [Fact]
    public void LoadShrunk_Webp_DecodesScaledDown()
    {
        VipsTestRuntime.Ensure();
        var rose = TestImages.Read(TestImages.Sample("rose-lossy-alpha.webp"));
        var loader = VipsLoader.FindLoader(rose)!;
        using var source = VipsLoader.CopyToSource(rose);
        using var full = VipsLoader.Load(loader, source);

        using var shrunk = VipsLoader.LoadShrunk(loader, source, shrink: 2, sequential: false);

        Assert.InRange(shrunk.Width, full.Width / 2, (full.Width + 1) / 2);
        Assert.InRange(shrunk.Height, full.Height / 2, (full.Height + 1) / 2);
    }

    [Fact]
    public void LoadShrunk_RandomAccess_CanBeReadInAnyOrderAndAgain()
    {
        VipsTestRuntime.Ensure();
        var flower = TestImages.Read(TestImages.Flower);
        var loader = VipsLoader.FindLoader(flower)!;
        using var source = VipsLoader.CopyToSource(flower);

        using (var random = VipsLoader.LoadShrunk(loader, source, shrink: 8, sequential: false))
        using (var upsideDown = random.FlipVer())
        {
            Assert.NotEmpty(upsideDown.SaveToBuffer("pngsave_buffer"));
            Assert.NotEmpty(random.SaveToBuffer("pngsave_buffer"));
        }
    }

    [Fact]
    public void Load_Truncated_FailsInsteadOfGreyingTheMissingPart()
    {
        VipsTestRuntime.Ensure();
        var flower = TestImages.Read(TestImages.Flower);
        var truncated = flower[..(flower.Length / 2)];
        var loader = VipsLoader.FindLoader(truncated)!;

        using var image = VipsLoader.Load(loader, truncated);

        Assert.Throws<NetVips.VipsException>(() => image.SaveToBuffer("pngsave_buffer"));
    }

    [Fact]
    public void Load_AllPages_OpensAnAnimationAsAStripOfFrames()
    {
        VipsTestRuntime.Ensure();
        var gif = TestImages.Read(TestImages.Sample("anim-2frames.gif"));
        var loader = VipsLoader.FindLoader(gif)!;

        using var first = VipsLoader.Load(loader, gif);
        using var strip = VipsLoader.Load(loader, gif, allPages: true);

        Assert.Equal(2, first.Pages());
        Assert.Equal(first.Height * 2, strip.Height);
        Assert.Equal(first.Height, strip.PageHeight);
    }
}
