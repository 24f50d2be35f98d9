namespace CdnProxy.Core.Tests;

public class RenderLimitsTests
{
    private static readonly RenderLimits Limits = new();

    [Theory]
    [InlineData(1, 1)]
    [InlineData(300, 200)]
    [InlineData(10_000, 4_000)]
    [InlineData(4_000, 10_000)]
    [InlineData(6_000, 6_000)]
    public void OutputScale_WithinLimits_IsOne(double width, double height)
    {
        Assert.Equal(1.0, Limits.OutputScale(width, height));
    }

    [Theory]
    [InlineData(20_000, 100, 0.5)]
    [InlineData(100, 40_000, 0.25)]
    [InlineData(10_001, 1, 10_000.0 / 10_001)]
    public void OutputScale_SideTooLong_ShrinksToMaxSide(double width, double height, double expected)
    {
        Assert.Equal(expected, Limits.OutputScale(width, height), 12);
    }

    [Theory]
    [InlineData(10_000, 10_000)]
    [InlineData(8_000, 8_000)]
    [InlineData(20_000, 20_000)]
    [InlineData(9_000, 5_000)]
    public void OutputScale_AreaTooLarge_ShrinksToMaxPixels(double width, double height)
    {
        var scale = Limits.OutputScale(width, height);

        Assert.True(scale < 1);
        Assert.Equal(Limits.MaxOutputPixels, width * scale * height * scale, 3);
        Assert.True(Math.Max(width, height) * scale <= Limits.MaxOutputSide + 1e-9);
    }

    [Fact]
    public void OutputScale_CustomLimits_AreUsed()
    {
        var limits = new RenderLimits { MaxOutputSide = 100, MaxOutputPixels = 2_500 };

        Assert.Equal(0.5, limits.OutputScale(200, 50), 12);
        Assert.Equal(0.5, limits.OutputScale(100, 100), 12);
        Assert.Equal(1.0, limits.OutputScale(50, 50));
    }

    [Fact]
    public void Defaults_MatchPixelbin()
    {
        Assert.Equal(10_000, Limits.MaxOutputSide);
        Assert.Equal(40_000_000, Limits.MaxOutputPixels);
        Assert.Equal(100_000_000, Limits.MaxSourcePixels);
    }
}
