using CdnProxy.Urls.Security;

namespace CdnProxy.Urls.Tests.Security;

public class UrlSignerTests
{
    private const long SpecNow = 1700000000000;

    public static TheoryData<string, long, double, string, string, string> SpecVectors => new()
    {
        // §5.3 V0 (README vector).
        {
            "https://cdn.pixelbin.io/v2/dummy-cloudname/original/__playground/playground-default.jpeg",
            1695635895000, 20, "0b55aaff-d7db-45f0-b556-9b45a6f2200e", "dummy-token",
            "https://cdn.pixelbin.io/v2/dummy-cloudname/original/__playground/playground-default.jpeg?pbs=8eb6a00af74e57967a42316e4de238aa88d92961649764fad1832c1bff101f25&pbe=1695635915&pbt=0b55aaff-d7db-45f0-b556-9b45a6f2200e"
        },
        // §5.3 V1.
        {
            "https://cdn.pixelbin.io/v2/test-cloud/original/folder/image.jpeg",
            SpecNow, 3600, "a1b2c3d4-0000-4000-8000-000000000001", "secret-token-1",
            "https://cdn.pixelbin.io/v2/test-cloud/original/folder/image.jpeg?pbs=779ea45dfb37f58a631cfeae87a0196dbf4fca7cb6e80b4aabda80314769b2d3&pbe=1700003600&pbt=a1b2c3d4-0000-4000-8000-000000000001"
        },
        // §5.3 V2.
        {
            "https://cdn.pixelbin.io/v2/test-cloud/z-slug/t.resize(h:100,w:200)~t.flip()/path/to/image.png?dpr=2&f_auto=true",
            SpecNow, 60, "ak-42", "tok_ABC",
            "https://cdn.pixelbin.io/v2/test-cloud/z-slug/t.resize(h:100,w:200)~t.flip()/path/to/image.png?dpr=2&f_auto=true&pbs=2bd676b9d3a8ffc35b3b9ae9ad589a16db4780e814f5dee54ff1d395ebe643a2&pbe=1700000060&pbt=ak-42"
        },
    };

    /// <summary>
    /// Vectors computed with Node 20's own <c>URL</c>, <c>URLSearchParams</c>, <c>encodeURI</c> and <c>crypto</c>
    /// following §5.1 step by step (see docs/signing.md).
    /// </summary>
    public static TheoryData<string, long, double, string, string, string> ComputedVectors => new()
    {
        {
            "https://cdn.pixelbin.io/v2/demo/original/café folder/a b.jpg?x=a b", SpecNow, 60, "ak-1", "tok-1",
            "https://cdn.pixelbin.io/v2/demo/original/caf%C3%A9%20folder/a%20b.jpg?x=a+b&pbs=9793b1ef06b8976a3aaf08f5bee90ce63140663a791f6cb5f6350f34f398cc63&pbe=1700000060&pbt=ak-1"
        },
        {
            "https://cdn.pixelbin.io/v2/demo/t.resize(w:100)/日本/😀.png", SpecNow, 2, "ak-1", "tok-1",
            "https://cdn.pixelbin.io/v2/demo/t.resize(w:100)/%E6%97%A5%E6%9C%AC/%F0%9F%98%80.png?pbs=fa77e41424915cf66a10ee6519b878b1ef71f81d250d167800ca92fdf87a4d3d&pbe=1700000002&pbt=ak-1"
        },
        {
            "https://CDN.Pixelbin.io:443/v2/demo/./x/../original/a^b|c[d].jpg?k=v'q", SpecNow, 10, "ak-1", "tok-1",
            "https://cdn.pixelbin.io/v2/demo/original/a^b|c[d].jpg?k=v%27q&pbs=ae716065b1622b1b955d044ad1cd3fc4b2b0fa5e72c9b01e7d301d4afcb0a7f7&pbe=1700000010&pbt=ak-1"
        },
        {
            "https://cdn.pixelbin.io/v2/demo/original/a.jpg?preview", SpecNow, 120, "ak-2", "tok-2",
            "https://cdn.pixelbin.io/v2/demo/original/a.jpg?preview=&pbs=41fc9f432730b304ab185a1aa9107932e098bca7614da6ad6665476c494b906e&pbe=1700000120&pbt=ak-2"
        },
        // Scheme and host lowercased, default port dropped, %2e%2E resolved, backslash as slash, empty fragment kept.
        {
            "http://Example.COM:80/v2/demo/%2e%2E/original\\b c.jpg?x=1#", SpecNow + 999, 30, "ak", "tok",
            "http://example.com/v2/original/b%20c.jpg?x=1&pbs=133ad2f6b63998f367d03b51bcb9867cddaaf7d7a848ab7e6275e2931586c148&pbe=1700000030&pbt=ak#"
        },
        // Empty query: not part of the signed string.
        {
            "https://cdn.pixelbin.io/v2/demo/original/a.jpg?", SpecNow + 999, 1, "ak", "tok",
            "https://cdn.pixelbin.io/v2/demo/original/a.jpg?pbs=0043247de7c09ed88ac379041ceef96ae4c95bd31f2cfd2334a77487a2d1f6e2&pbe=1700000001&pbt=ak"
        },
        // WHATWG path and special-query encode sets.
        {
            "https://cdn.pixelbin.io/v2/demo/original/{a}`b\".jpg?k=\"<x>\"&y=1,2;3", SpecNow + 999 - 10_000, 5, "ak", "tok",
            "https://cdn.pixelbin.io/v2/demo/original/%7Ba%7D%60b%22.jpg?k=%22%3Cx%3E%22&y=1%2C2%3B3&pbs=699c93764552d4b4ca25dd776d024db08e5200aef6e4097d98ba8ae66daca821&pbe=1699999995&pbt=ak"
        },
    };

    [Theory]
    [MemberData(nameof(SpecVectors))]
    [MemberData(nameof(ComputedVectors))]
    public void Sign_ReproducesTheJsSdkOutputExactly(string url, long nowMs, double expiry, string accessKey, string token, string expected)
    {
        var signed = UrlSigner.Sign(url, expiry, accessKey, token, FixedTimeProvider.AtUnixMilliseconds(nowMs));

        Assert.Equal(expected, signed);
    }

    [Fact]
    public void SignedString_V0_IsTheSpecString()
    {
        Assert.Equal(
            "v2/dummy-cloudname/original/__playground/playground-default.jpeg1695635915",
            UrlSigner.SignedString("/v2/dummy-cloudname/original/__playground/playground-default.jpeg", "1695635915"));
    }

    [Fact]
    public void SignedString_EscapedInput_IsDoubleEncoded()
    {
        Assert.Equal(
            "v2/demo/original/caf%25C3%25A9%2520folder/a%2520b.jpg?x=a%2520b1700000060",
            UrlSigner.SignedString("/v2/demo/original/caf%C3%A9%20folder/a%20b.jpg?x=a%20b", "1700000060"));
    }

    /// <summary>What the JS SDK prints for <c>…/a%20b.jpg?q=~tilde&amp;e=&amp;flag#frag</c> (Node 20, §5.1): the server cannot verify it.</summary>
    public const string JsSdkMixedFlagsUrl =
        "https://cdn.pixelbin.io/v2/demo/original/a%20b.jpg?q=%7Etilde&e=&flag=&pbs=077827cea25e7a5fdcf3c7db89e87480271b950743a916bde3e9ee1089b1f76f&pbe=1700003600&pbt=ak-1#frag";

    [Fact]
    public void Sign_QueryTheServerCannotRebuild_IsSignedAsSent_OtherwiseAsTheSdkPrintsIt()
    {
        var signed = UrlSigner.Sign(
            "https://cdn.pixelbin.io/v2/demo/original/a%20b.jpg?q=~tilde&e=&flag#frag", 3600, "ak-1", "tok-1", DateTimeOffset.FromUnixTimeMilliseconds(SpecNow));
        var pbs = UrlSigner.ComputeSignature(UrlSigner.SignedString("/v2/demo/original/a%20b.jpg?q=%7Etilde&e=&flag=", "1700003600"), "tok-1");

        // The SDK's URL, but for pbs: the SDK signed "q=~tilde&e=&flag", which the server cannot rebuild from what is sent.
        Assert.Equal(JsSdkMixedFlagsUrl.Replace("077827cea25e7a5fdcf3c7db89e87480271b950743a916bde3e9ee1089b1f76f", pbs, StringComparison.Ordinal), signed);
        var (path, query) = SignedUrlParts.Split(signed);
        var verified = SignatureVerifier.Verify(path, query, new SigningKeyRing([new("ak-1", "tok-1")]), FixedTimeProvider.AtUnixMilliseconds(SpecNow));
        Assert.Equal((SignatureStatus.Valid, SignedStringVariant.JsEncodeUri), (verified.Status, verified.Variant));
    }

    [Fact]
    public void Sign_CallersOwnPbe_IsDroppedFromTheSignedQuery()
    {
        // The SDK sets pbe in place (…?pbe=1700000060&x=1&pbs=…) over a signature of its "pbe=5": never verifiable.
        var signed = UrlSigner.Sign("https://cdn.pixelbin.io/v2/demo/original/a.jpg?pbe=5&x=1&pbe=6", 60, "ak-1", "tok-1", DateTimeOffset.FromUnixTimeMilliseconds(SpecNow));
        var (path, query) = SignedUrlParts.Split(signed);

        Assert.StartsWith("https://cdn.pixelbin.io/v2/demo/original/a.jpg?x=1&pbs=", signed, StringComparison.Ordinal);
        Assert.True(SignatureVerifier.Verify(path, query, new SigningKeyRing([new("ak-1", "tok-1")]), FixedTimeProvider.AtUnixMilliseconds(SpecNow)).IsValid);
    }

    [Fact]
    public void Sign_OverloadWithExplicitNow_MatchesTimeProvider()
    {
        var url = "https://cdn.pixelbin.io/v2/test-cloud/original/folder/image.jpeg";
        var now = DateTimeOffset.FromUnixTimeMilliseconds(SpecNow + 700);

        Assert.Equal(
            UrlSigner.Sign(url, 3600, "ak", "tok", new FixedTimeProvider(now)),
            UrlSigner.Sign(url, 3600, "ak", "tok", now));
    }

    [Theory]
    [InlineData("https://cdn.pixelbin.io/v2/demo/original/a.jpg?pbs=abc")]
    [InlineData("https://cdn.pixelbin.io/v2/demo/original/a.jpg?x=1&pbs=")]
    [InlineData("https://cdn.pixelbin.io/v2/demo/original/a.jpg?pb%73=1")]
    public void Sign_UrlWithPbs_IsRefused(string url)
    {
        var error = Assert.Throws<ArgumentException>(() => UrlSigner.Sign(url, 60, "ak", "tok", TimeProvider.System));

        Assert.StartsWith("URL already has a signature", error.Message, StringComparison.Ordinal);
    }

    // The SDK signs these (an already expired URL, a fractional pbe, pbe=1e+300); this signer does not.
    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(0.5)]
    [InlineData(1.5)]
    [InlineData(1e300)]
    [InlineData(UrlSigner.MaxExpirySeconds + 1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Sign_ExpiryNotAWholeNumberOfSecondsInRange_IsOutOfRange(double expiry)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => UrlSigner.Sign("https://h/a.jpg", expiry, "ak", "tok", TimeProvider.System));

        Assert.Equal("expirySeconds", error.ParamName);
    }

    [Theory]
    [InlineData("", 60, "ak", "tok")]
    [InlineData("https://h/a.jpg", 60, "", "tok")]
    [InlineData("https://h/a.jpg", 60, "ak", "")]
    [InlineData("/v2/demo/original/a.jpg", 60, "ak", "tok")]
    [InlineData("ftp://h/a.jpg", 60, "ak", "tok")]
    [InlineData("https://", 60, "ak", "tok")]
    [InlineData("https://h:99999/a.jpg", 60, "ak", "tok")]
    public void Sign_InvalidArguments_AreRefused(string url, double expiry, string accessKey, string token)
    {
        Assert.ThrowsAny<ArgumentException>(() => UrlSigner.Sign(url, expiry, accessKey, token, TimeProvider.System));
    }

    [Fact]
    public void ComputeSignature_IsLowercaseHexHmacSha256()
    {
        Assert.Equal(
            "8eb6a00af74e57967a42316e4de238aa88d92961649764fad1832c1bff101f25",
            UrlSigner.ComputeSignature("v2/dummy-cloudname/original/__playground/playground-default.jpeg1695635915", "dummy-token"));
    }
}
