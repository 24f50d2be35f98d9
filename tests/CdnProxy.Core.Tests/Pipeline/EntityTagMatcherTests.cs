using CdnProxy.Core.Pipeline;

namespace CdnProxy.Core.Tests.Pipeline;

public class EntityTagMatcherTests
{
    private const string ETag = "\"abc\"";

    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("W/\"abc\"")]
    [InlineData("*")]
    [InlineData("\"x\", \"abc\"")]
    [InlineData("\"x\",\"abc\",\"y\"")]
    [InlineData("  \"abc\"  ")]
    [InlineData("\"x\" , W/\"abc\"")]
    [InlineData("\"x\", *")]
    [InlineData(",,\"abc\",")]
    public void Matches_MatchingHeader_IsTrue(string header)
    {
        Assert.True(EntityTagMatcher.Matches(header, ETag));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\"abd\"")]
    [InlineData("abc")]
    [InlineData("\"ABC\"")]
    [InlineData("\"x\", \"y\"")]
    [InlineData("w/\"abc\"")]
    [InlineData("\"abc")]
    [InlineData("**")]
    public void Matches_OtherHeader_IsFalse(string? header)
    {
        Assert.False(EntityTagMatcher.Matches(header, ETag));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("\"abc\"")]
    [InlineData("*")]
    [InlineData("\"x\", \"abc\"")]
    public void IfMatchHolds_AbsentOrNamingTheTag_IsTrue(string? header) => Assert.True(EntityTagMatcher.IfMatchHolds(header, ETag));

    [Theory]
    [InlineData("W/\"abc\"")]
    [InlineData("\"abd\"")]
    [InlineData("\"x\", W/\"abc\"")]
    public void IfMatchHolds_WeakOrOtherTags_IsFalse(string header) => Assert.False(EntityTagMatcher.IfMatchHolds(header, ETag));
}
