using CdnProxy.Tests.Common;

namespace CdnProxy.Server.Tests.Golden;

public sealed class AlphaPresenceTests
{
    public AlphaPresenceTests() => VipsTestRuntime.Ensure();

    [Fact]
    public void Agrees_BothWithoutAlpha()
    {
        using var reference = Rgb();
        using var actual = Rgb();

        Assert.True(AlphaPresence.Agrees(reference, actual));
    }

    [Fact]
    public void Agrees_BothWithAlpha_EvenWhenTranslucent()
    {
        using var reference = Rgba(alpha: 255, hole: 0);
        using var actual = Rgba(alpha: 255, hole: 0);

        Assert.True(AlphaPresence.Agrees(reference, actual));
    }

    [Fact]
    public void Agrees_ReferenceAlphaOpaqueEverywhere_OutputWithoutAlpha()
    {
        using var reference = Rgba(alpha: 255, hole: 255);
        using var actual = Rgb();

        Assert.True(AlphaPresence.Agrees(reference, actual));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(254)]
    public void Differs_ReferenceWithOneTranslucentPixel_OutputWithoutAlpha(int hole)
    {
        using var reference = Rgba(alpha: 255, hole: hole);
        using var actual = Rgb();

        Assert.False(AlphaPresence.Agrees(reference, actual));
    }

    [Fact]
    public void Differs_OutputWithOpaqueAlpha_ReferenceWithout()
    {
        using var reference = Rgb();
        using var actual = Rgba(alpha: 255, hole: 255);

        Assert.False(AlphaPresence.Agrees(reference, actual));
    }

    private static VipsImage Rgb()
    {
        using var black = VipsImage.Black(4, 3, bands: 3);
        using var coloured = black.Linear([1], [10, 20, 30], uchar: true);
        return coloured.Copy(interpretation: NetVips.Enums.Interpretation.Srgb);
    }

    /// <summary>A 4×3 RGBA image of alpha <paramref name="alpha"/> except one pixel (1, 1) of alpha <paramref name="hole"/>.</summary>
    private static VipsImage Rgba(int alpha, int hole)
    {
        using var black = VipsImage.Black(1, 1, bands: 4);
        using var pixel = black.Linear([1], [10, 20, 30, hole], uchar: true);
        using var framed = pixel.Embed(1, 1, 4, 3, NetVips.Enums.Extend.Background, [10, 20, 30, alpha]);
        return framed.Copy(interpretation: NetVips.Enums.Interpretation.Srgb);
    }
}
