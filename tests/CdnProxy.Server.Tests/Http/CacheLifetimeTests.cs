using CdnProxy.Server.Http;

namespace CdnProxy.Server.Tests.Http;

public sealed class CacheLifetimeTests
{
    private const string Configured = "public, max-age=86400, s-maxage=31536000, stale-while-revalidate=86400";
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void WithoutABound_TheConfiguredHeaderStands() => Assert.Equal(Configured, CacheLifetime.Bound(Configured, null, Now));

    [Fact]
    public void ASignatureExpiringSoon_BoundsBothAgesAndDropsStaleServing() =>
        Assert.Equal("public, max-age=90, s-maxage=90", CacheLifetime.Bound(Configured, Now.AddSeconds(90.7), Now));

    [Fact]
    public void ASignatureExpiringLater_KeepsTheShorterConfiguredAges() =>
        Assert.Equal("private, max-age=300", CacheLifetime.Bound("private, max-age=300", Now.AddDays(2), Now));

    [Theory]
    [InlineData(0.0)]
    [InlineData(-20.0)] // within the verifier's clock skew
    public void ASignatureWithNoTimeLeft_IsNotStored(double seconds) =>
        Assert.Equal("no-store", CacheLifetime.Bound(Configured, Now.AddSeconds(seconds), Now));
}
