using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Tests.Common;

namespace CdnProxy.Core.Tests.Transformations.Basic;

public class MedianTests
{
    private const int NoisySide = 64;

    private const double Grey = 128;

    private static readonly byte[] Flower = TestImages.Read(TestImages.Flower);

    private static readonly byte[] Tulips = TestImages.Read(TestImages.Sample("alpha-500-tulips.png"));

    [Fact]
    public void Bind_NoArguments_CanonicalFormHasTheDefaultSize()
    {
        Assert.Equal("t.median(s:3)", RenderHarness.Canonical("t.median()"));
    }

    [Theory]
    [InlineData("s", "0")]
    [InlineData("s", "11")]
    [InlineData("s", "2.5")]
    [InlineData("k", "3")]
    public void Bind_BadOrUnknownArgument_InvalidArgumentNamingTheKey(string key, string value)
    {
        var e = Assert.Throws<CdnException>(() => RenderHarness.Bind($"t.median({key}:{value})"));

        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
        Assert.Contains($"'{key}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_RemovesSaltNoise()
    {
        var noisy = SaltedGrey();
        using var before = RenderHarness.RenderAndProbe(noisy, "t.toFormat(f:png)");
        using var after = RenderHarness.RenderAndProbe(noisy, "t.median()~t.toFormat(f:png)");

        Assert.Equal((NoisySide, NoisySide), (after.Width, after.Height));
        Assert.True(CountNotGrey(before) > 10, "the source should carry salt");
        Assert.Equal(0, CountNotGrey(after));
    }

    [Fact]
    public void Render_SizeOne_IsTheOriginal()
    {
        var original = RenderHarness.Render(Flower, "t.resize(w:200)~t.toFormat(f:png)").Bytes;
        var filtered = RenderHarness.Render(Flower, "t.resize(w:200)~t.median(s:1)~t.toFormat(f:png)").Bytes;

        Assert.Equal(original, filtered);
    }

    [Fact]
    public void Render_LowersLocalContrastAndKeepsTheSize()
    {
        using var plain = RenderHarness.RenderAndProbe(Flower, "t.resize(w:300)~t.toFormat(f:png)");
        using var filtered = RenderHarness.RenderAndProbe(Flower, "t.resize(w:300)~t.median(s:5)~t.toFormat(f:png)");

        Assert.Equal((plain.Width, plain.Height, plain.Bands), (filtered.Width, filtered.Height, filtered.Bands));
        Assert.True(PixelStatistics.LocalContrast(filtered) < PixelStatistics.LocalContrast(plain));
    }

    [Fact]
    public void Render_WithAlpha_KeepsFourBands()
    {
        using var filtered = RenderHarness.RenderAndProbe(Tulips, "t.median(s:4)");

        Assert.Equal((500, 500, 4), (filtered.Width, filtered.Height, filtered.Bands));
    }

    /// <summary>A flat grey PNG with isolated white pixels (thresholded seeded gaussian noise).</summary>
    private static byte[] SaltedGrey()
    {
        VipsTestRuntime.Ensure();
        using var noise = VipsImage.Gaussnoise(NoisySide, NoisySide, sigma: 30.0, mean: Grey, seed: 7);
        using var salt = noise.RelationalConst(NetVips.Enums.OperationRelational.More, [205.0]);
        using var grey = salt.Linear([0.0], [Grey], uchar: true);
        using var sum = grey.Add(salt);
        using var clipped = sum.Cast(NetVips.Enums.BandFormat.Uchar);
        return clipped.PngsaveBuffer();
    }


    private static int CountNotGrey(ImageProbe probe)
    {
        var count = 0;
        for (var y = 0; y < probe.Height; y++)
        {
            for (var x = 0; x < probe.Width; x++)
            {
                count += probe.Pixel(x, y)[0] == Grey ? 0 : 1;
            }
        }

        return count;
    }
}
