using CdnProxy.Urls.Security;

namespace CdnProxy.Urls.Tests.Security;

public class SigningKeyRingTests
{
    [Fact]
    public void Constructor_DuplicateAccessKeys_Throws()
    {
        Assert.Throws<ArgumentException>(() => new SigningKeyRing([new("ak", "t1"), new("ak", "t2")]));
    }

    [Fact]
    public void TryGet_FindsByExactAccessKey()
    {
        var ring = new SigningKeyRing([new("ak-1", "t1"), new("ak-2", "t2")]);

        Assert.True(ring.TryGet("ak-2", out var key));
        Assert.Equal("t2", key.Token);
        Assert.False(ring.TryGet("AK-2", out _));
        Assert.Equal(2, ring.Keys.Count);
    }

    [Theory]
    [InlineData("", "t")]
    [InlineData("ak", "")]
    public void SigningKey_EmptyParts_Throw(string accessKey, string token)
    {
        Assert.Throws<ArgumentException>(() => new SigningKey(accessKey, token));
    }

    [Fact]
    public void SigningKey_AnEmptyCloudName_Throws()
    {
        Assert.Throws<ArgumentException>(() => new SigningKey("ak", "t") { Clouds = new HashSet<string> { "a", "" } });
    }

    [Fact]
    public void SigningKey_SignsForItsCloudsOnly_OrEveryCloudWhenItListsNone()
    {
        var limited = new SigningKey("ak", "t") { Clouds = new HashSet<string> { "a" } };
        var everyCloud = new SigningKey("ak", "t");

        Assert.True(limited.SignsFor("a"));
        Assert.False(limited.SignsFor("b"));
        Assert.False(limited.SignsFor(null));
        Assert.True(everyCloud.SignsFor("b"));
        Assert.True(everyCloud.SignsFor(null));
    }

    [Fact]
    public void SigningKey_ToString_HidesTheToken()
    {
        Assert.DoesNotContain("secret", new SigningKey("ak", "secret").ToString(), StringComparison.Ordinal);
    }
}
