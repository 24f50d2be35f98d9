using CdnProxy.Core.Pipeline;

namespace CdnProxy.Core.Tests.Pipeline;

public class DprParserTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Parse_NoQuery_IsOne(string? query)
    {
        Assert.Equal(1, DprParser.Parse(query, "3"));
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("2", 2)]
    [InlineData("0.1", 0.1)]
    [InlineData("5", 5)]
    [InlineData("5.0", 5)]
    [InlineData("1.5", 1.5)]
    [InlineData("1.234", 1.23)]
    [InlineData("1.235", 1.24)]
    [InlineData(".5", 0.5)]
    public void Parse_Number_IsRoundedToTwoDecimals(string query, double expected)
    {
        Assert.Equal(expected, DprParser.Parse(query, null), 10);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("0.09")]
    [InlineData("5.01")]
    [InlineData("6")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1e0")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1,5")]
    [InlineData(" 2")]
    public void Parse_InvalidNumber_ThrowsInvalidArgument(string query)
    {
        var e = Assert.Throws<CdnException>(() => DprParser.Parse(query, null));

        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("dpr", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("auto", "2", 2)]
    [InlineData("AUTO", "2.75", 2.75)]
    [InlineData("Auto", "2.0000001", 2)]
    [InlineData("auto", "1.234", 1.23)]
    [InlineData("auto", null, 1)]
    [InlineData("auto", "", 1)]
    [InlineData("auto", "garbage", 1)]
    [InlineData("auto", "10", 5)]
    [InlineData("auto", "0.01", 0.1)]
    [InlineData("auto", "0", 0.1)]
    [InlineData("auto", "-2", 1)]
    public void Parse_Auto_UsesTheClampedClientHint(string query, string? hint, double expected)
    {
        Assert.Equal(expected, DprParser.Parse(query, hint), 10);
    }

    [Fact]
    public void Parse_Number_IgnoresTheClientHint()
    {
        Assert.Equal(2, DprParser.Parse("2", "3"));
    }
}
