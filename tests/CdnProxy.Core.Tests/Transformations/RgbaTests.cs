using CdnProxy.Core.Transformations;

namespace CdnProxy.Core.Tests.Transformations;

public class RgbaTests
{
    [Theory]
    [InlineData("000000", 0, 0, 0, 255)]
    [InlineData("ffffff", 255, 255, 255, 255)]
    [InlineData("FF8000", 255, 128, 0, 255)]
    [InlineData("12345678", 0x12, 0x34, 0x56, 0x78)]
    [InlineData("abcdef00", 0xab, 0xcd, 0xef, 0)]
    public void TryParse_SixOrEightHexDigits_ReturnsColour(string text, byte r, byte g, byte b, byte a)
    {
        Assert.Equal(new Rgba(r, g, b, a), Rgba.TryParse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("fff")]
    [InlineData("fffffff")]
    [InlineData("fffffffff")]
    [InlineData("#ffffff")]
    [InlineData("gggggg")]
    [InlineData(" fffff")]
    [InlineData("-fffff")]
    public void TryParse_Malformed_ReturnsNull(string text)
    {
        Assert.Null(Rgba.TryParse(text));
    }

    [Theory]
    [InlineData(255, 0, 0, 255, "ff0000")]
    [InlineData(1, 2, 3, 4, "01020304")]
    [InlineData(0, 0, 0, 0, "00000000")]
    public void ToString_IsLowercaseWithAlphaOnlyWhenTranslucent(byte r, byte g, byte b, byte a, string expected)
    {
        Assert.Equal(expected, new Rgba(r, g, b, a).ToString());
    }

    [Theory]
    [InlineData("AbCdEf")]
    [InlineData("abcdefff")]
    [InlineData("0a0b0c80")]
    public void ToString_RoundTripsThroughTryParse(string text)
    {
        var colour = Rgba.TryParse(text)!.Value;
        Assert.Equal(colour, Rgba.TryParse(colour.ToString()));
    }

    [Fact]
    public void IsOpaque_OnlyForFullAlpha()
    {
        Assert.True(Rgba.Black.IsOpaque);
        Assert.False(new Rgba(0, 0, 0, 254).IsOpaque);
    }

    [Theory]
    [InlineData(1, new double[] { 19 })] // 0.2126*10 + 0.7152*20 + 0.0722*30 = 18.6
    [InlineData(2, new double[] { 19, 40 })]
    [InlineData(3, new double[] { 10, 20, 30 })]
    [InlineData(4, new double[] { 10, 20, 30, 40 })]
    public void ToBands_MatchesBandCount(int bands, double[] expected)
    {
        Assert.Equal(expected, new Rgba(10, 20, 30, 40).ToBands(bands));
    }
}
