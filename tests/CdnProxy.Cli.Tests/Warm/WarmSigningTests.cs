using CdnProxy.Cli.Warm;
using CdnProxy.Urls.Security;
using Microsoft.Extensions.Time.Testing;

namespace CdnProxy.Cli.Tests.Warm;

public sealed class WarmSigningTests
{
    private static readonly SigningKeyRing Keys = new([new SigningKey("warm-key", "warm-token")]);

    [Fact]
    public void Sign_GivesAUrlTheServersVerifierAccepts_UntilItsExpiry()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        var signing = new WarmSigning("warm-key", "warm-token", 60);

        var signed = new Uri(signing.Sign("https://cdn.example.com/v2/demo/t.resize(w:300)/a.jpg?dpr=2", time));

        Assert.Equal(SignatureStatus.Valid, SignatureVerifier.Verify(signed.AbsolutePath, signed.Query, Keys, time).Status);
        Assert.Contains("pbe=1800000060", signed.Query, StringComparison.Ordinal);
        Assert.Contains("pbt=warm-key", signed.Query, StringComparison.Ordinal);
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.NotEqual(SignatureStatus.Valid, SignatureVerifier.Verify(signed.AbsolutePath, signed.Query, Keys, time).Status);
    }

    [Fact]
    public void Sign_RefusesAUrlThatIsAlreadySigned()
    {
        var time = new FakeTimeProvider();
        var signing = new WarmSigning("warm-key", "warm-token", 60);
        var signed = signing.Sign("https://cdn.example.com/v2/demo/original/a.jpg", time);

        Assert.Throws<ArgumentException>(() => signing.Sign(signed, time));
    }

    [Theory]
    [InlineData("", "token", 60)]
    [InlineData("key", " ", 60)]
    [InlineData("key", "token", 0)]
    [InlineData("key", "token", -5)]
    [InlineData("key", "token", double.PositiveInfinity)]
    public void Validate_RefusesAMissingKeyOrTokenAndALifetimeThatIsNotPositive(string key, string token, double expiry) =>
        Assert.Throws<ArgumentException>(() => new WarmSigning(key, token, expiry).Validate());

    [Fact]
    public void FromTheCommandLine_SigningIsOnWithAKey_AndTheTokenComesFromTheOptionElseTheEnvironment()
    {
        Assert.Null(WarmCommand.Signing(null, null, "exported-token", 300));
        Assert.Equal(new WarmSigning("k", "given", 300), WarmCommand.Signing("k", "given", "exported-token", 300));
        Assert.Equal(new WarmSigning("k", "exported-token", 30), WarmCommand.Signing("k", null, "exported-token", 30));
        // A token without a key is a mistake the options' validation reports.
        Assert.Throws<ArgumentException>(() => WarmCommand.Signing(null, "given", null, 300)!.Validate());
        Assert.Throws<ArgumentException>(() => WarmCommand.Signing("k", null, null, 300)!.Validate());
    }
}
