using CdnProxy.Urls.Security;

namespace CdnProxy.Urls.Tests.Security;

public class SignatureVerifierTests
{
    private const string V1Url =
        "https://cdn.pixelbin.io/v2/test-cloud/original/folder/image.jpeg?pbs=779ea45dfb37f58a631cfeae87a0196dbf4fca7cb6e80b4aabda80314769b2d3&pbe=1700003600&pbt=a1b2c3d4-0000-4000-8000-000000000001";

    private const string V2Path = "/v2/test-cloud/z-slug/t.resize(h:100,w:200)~t.flip()/path/to/image.png";
    private const string V2Pbs = "2bd676b9d3a8ffc35b3b9ae9ad589a16db4780e814f5dee54ff1d395ebe643a2";
    private const string V2Query = "dpr=2&f_auto=true&pbs=" + V2Pbs + "&pbe=1700000060&pbt=ak-42";

    private static readonly SigningKeyRing Ring = new([
        new("0b55aaff-d7db-45f0-b556-9b45a6f2200e", "dummy-token"),
        new("a1b2c3d4-0000-4000-8000-000000000001", "secret-token-1"),
        new("ak-42", "tok_ABC"),
        new("ak-other", "another-token"),
        new("ak-1", "tok-1"),
        new("ak-2", "tok-2"),
        new("ak", "tok"),
    ]);

    private static readonly FixedTimeProvider SpecNow = FixedTimeProvider.AtUnixSeconds(1700000000);

    private static SignatureVerification VerifyUrl(string url, TimeProvider time, SignatureVerifierOptions? options = null)
    {
        var (path, query) = SignedUrlParts.Split(url);
        return SignatureVerifier.Verify(path, query, Ring, time, options);
    }

    [Fact]
    public void Verify_V0_IsValid()
    {
        var result = VerifyUrl(
            "https://cdn.pixelbin.io/v2/dummy-cloudname/original/__playground/playground-default.jpeg?pbs=8eb6a00af74e57967a42316e4de238aa88d92961649764fad1832c1bff101f25&pbe=1695635915&pbt=0b55aaff-d7db-45f0-b556-9b45a6f2200e",
            FixedTimeProvider.AtUnixMilliseconds(1695635895000));

        Assert.Equal(SignatureStatus.Valid, result.Status);
        Assert.Equal(string.Empty, result.CleanedQuery);
        Assert.Equal("0b55aaff-d7db-45f0-b556-9b45a6f2200e", result.AccessKey);
    }

    [Fact]
    public void Verify_V1_IsValid()
    {
        var result = VerifyUrl(V1Url, SpecNow);

        Assert.True(result.IsValid);
        Assert.Equal(1700003600, result.ExpiresAtUnixSeconds);
    }

    [Fact]
    public void Verify_V2_IsValidAndTheCleanedQueryDropsTheSignature()
    {
        var result = SignatureVerifier.Verify(V2Path, "?" + V2Query, Ring, SpecNow);

        Assert.Equal(SignatureStatus.Valid, result.Status);
        Assert.Equal(SignedStringVariant.JsEncodeUri, result.Variant);
        Assert.Equal("dpr=2&f_auto=true", result.CleanedQuery);
    }

    [Fact]
    public void Verify_V2PythonVariant_PathOnly_IsValidOnlyWhenTheQueryMayGoUnsigned()
    {
        var query = "dpr=2&f_auto=true&pbs=cbcb184f7498872a16539e48c2acb9088e487d9138557c2e4b97eba9e527d3d3&pbe=1700000060&pbt=ak-42";

        var strict = SignatureVerifier.Verify(V2Path, query, Ring, SpecNow);
        var lenient = SignatureVerifier.Verify(V2Path, query, Ring, SpecNow, new SignatureVerifierOptions { AllowUnsignedQuery = true });

        Assert.Equal(SignatureStatus.Invalid, strict.Status);
        Assert.Equal(SignatureStatus.Valid, lenient.Status);
        Assert.Equal(SignedStringVariant.RawPath, lenient.Variant);
    }

    [Theory]
    [InlineData("dpr=5", false)]
    [InlineData("dpr=5", true)]
    [InlineData("f_auto=true", false)]
    [InlineData("v=2", false)]
    [InlineData("download", true)]
    public void Verify_V1_WithAParameterAdded_IsInvalid(string added, bool beforeTheSignature)
    {
        // V1 was signed without a query: its signed string is also the path-only one, which must not let a query in.
        var (path, query) = SignedUrlParts.Split(V1Url);
        var tampered = beforeTheSignature ? added + "&" + query : query + "&" + added;

        Assert.Equal(SignatureStatus.Invalid, SignatureVerifier.Verify(path, tampered, Ring, SpecNow).Status);
    }

    [Fact]
    public void Verify_CSharpVariant_RawPathAndQuery_IsValid()
    {
        const string path = "/v2/demo/original/caf%C3%A9%20folder/a%20b.jpg";
        var pbs = UrlSigner.ComputeSignature("v2/demo/original/caf%C3%A9%20folder/a%20b.jpg?x=a%20b&v=1~21700000060", "tok-1");

        var result = SignatureVerifier.Verify(path, $"x=a%20b&v=1~2&pbs={pbs}&pbe=1700000060&pbt=ak-1", Ring, SpecNow);

        Assert.Equal(SignatureStatus.Valid, result.Status);
        Assert.Equal(SignedStringVariant.RawPathAndQuery, result.Variant);
        Assert.Equal("x=a%20b&v=1~2", result.CleanedQuery);
    }

    [Theory]
    [InlineData("", SignatureStatus.Valid)]
    [InlineData("&dpr=5", SignatureStatus.Invalid)] // the path-only signature does not cover an added query
    public void Verify_GoVariant_DecodedPath_IsValidWithoutAQuery(string added, SignatureStatus expected)
    {
        var pbs = UrlSigner.ComputeSignature("v2/demo/original/café folder/a b.jpg1700000060", "tok-1");

        var result = SignatureVerifier.Verify(
            "/v2/demo/original/caf%C3%A9%20folder/a%20b.jpg", $"pbs={pbs}&pbe=1700000060&pbt=ak-1{added}", Ring, SpecNow);

        Assert.Equal(expected, result.Status);
        Assert.Equal(expected == SignatureStatus.Valid ? SignedStringVariant.DecodedPath : null, result.Variant);
    }

    [Theory]
    // The JS signed string of "a b.jpg" is ".../a%2520b.jpg": read as a raw path (Python) it names the file "a%20b.jpg".
    [InlineData("https://cdn.pixelbin.io/v2/demo/t.resize(w:100)/a b.jpg", "/v2/demo/t.resize(w:100)/a%2520b.jpg", "")]
    // ... and as a raw path and query (C#), with a query.
    [InlineData("https://cdn.pixelbin.io/v2/demo/original/café.jpg?dpr=2", "/v2/demo/original/caf%25C3%25A9.jpg", "dpr=2")]
    // ... and as a decoded path (Go): "%252520" decodes to "%2520".
    [InlineData("https://cdn.pixelbin.io/v2/demo/original/a b.jpg", "/v2/demo/original/a%252520b.jpg", "")]
    // The JS signed string of "a.jpg?dpr=2", decoded from a path: the file "a.jpg?dpr=2".
    [InlineData("https://cdn.pixelbin.io/v2/demo/original/a.jpg?dpr=2", "/v2/demo/original/a.jpg%3Fdpr=2", "")]
    [InlineData("https://cdn.pixelbin.io/v2/demo/original/a.jpg?dpr=2", "/v2/demo/original/a.jpg%3fdpr=2", "")]
    public void Verify_AJsSignature_DoesNotCoverTheFileNamedLikeItsSignedString(string url, string otherPath, string otherQuery)
    {
        var signed = UrlSigner.Sign(url, 60, "ak-1", "tok-1", SpecNow);
        var (_, query) = SignedUrlParts.Split(signed);
        var signature = query[query.IndexOf("pbs=", StringComparison.Ordinal)..];

        var other = SignatureVerifier.Verify(otherPath, otherQuery.Length == 0 ? signature : otherQuery + "&" + signature, Ring, SpecNow);

        Assert.Equal(SignatureStatus.Valid, VerifyUrl(signed, SpecNow).Status);
        Assert.Equal(SignatureStatus.Invalid, other.Status);
    }

    [Theory]
    [InlineData("/v2/demo/original/dir/x.jpg", SignatureStatus.Valid)]
    // Kestrel keeps "%2F" in the path it serves: the file "dir%2Fx.jpg", not the "dir/x.jpg" the Go SDK signed.
    [InlineData("/v2/demo/original/dir%2Fx.jpg", SignatureStatus.Invalid)]
    [InlineData("/v2/demo/original/dir%2fx.jpg", SignatureStatus.Invalid)]
    public void Verify_GoVariant_DoesNotReadAnEncodedSlashAsTheSlashItSigned(string path, SignatureStatus expected)
    {
        var pbs = UrlSigner.ComputeSignature("v2/demo/original/dir/x.jpg1700000060", "tok-1");

        Assert.Equal(expected, SignatureVerifier.Verify(path, $"pbs={pbs}&pbe=1700000060&pbt=ak-1", Ring, SpecNow).Status);
    }

    [Fact]
    public void KnownLimitation_ARawSignatureOverAnEscapedPercent_IsNotAccepted()
    {
        // The C# and Python SDKs sign the file "a%20b.jpg" as ".../a%2520b.jpg", which is also the JS signed string of
        // "a b.jpg"; the two cannot be told apart, so only the JS reading (the file "a b.jpg") is accepted.
        var pbs = UrlSigner.ComputeSignature("v2/demo/original/a%2520b.jpg1700000060", "tok-1");
        var query = $"pbs={pbs}&pbe=1700000060&pbt=ak-1";

        Assert.Equal(SignatureStatus.Invalid, SignatureVerifier.Verify("/v2/demo/original/a%2520b.jpg", query, Ring, SpecNow).Status);
        Assert.Equal(SignatureStatus.Valid, SignatureVerifier.Verify("/v2/demo/original/a%20b.jpg", query, Ring, SpecNow).Status);
    }

    [Theory]
    [MemberData(nameof(UrlSignerTests.ComputedVectors), MemberType = typeof(UrlSignerTests))]
    public void Verify_UrlsSignedByUrlSigner_AreValid(string url, long nowMs, double expiry, string accessKey, string token, string signedUrl)
    {
        _ = (url, expiry, accessKey, token);

        var result = VerifyUrl(signedUrl, FixedTimeProvider.AtUnixMilliseconds(nowMs));

        Assert.Equal(SignatureStatus.Valid, result.Status);
    }

    [Fact]
    public void Verify_NonAsciiPathWithSpacesInQuery_MatchesTheOriginalQueryForm()
    {
        var signed = UrlSigner.Sign(
            "https://cdn.pixelbin.io/v2/demo/original/café folder/a b.jpg?x=a b&t=~", 60, "ak-1", "tok-1", SpecNow);

        var result = VerifyUrl(signed, SpecNow);

        Assert.Equal(SignatureStatus.Valid, result.Status);
        Assert.Equal(SignedStringVariant.JsEncodeUriOriginalQuery, result.Variant);
        Assert.Equal("x=a+b&t=%7E", result.CleanedQuery);
    }

    [Fact]
    public void Verify_FlagParameter_MatchesTheBareNameForm()
    {
        var signed = UrlSigner.Sign("https://cdn.pixelbin.io/v2/demo/original/a.jpg?download&v=3", 60, "ak-1", "tok-1", SpecNow);

        Assert.Equal(SignatureStatus.Valid, VerifyUrl(signed, SpecNow).Status);
    }

    [Fact]
    public void KnownLimitation_MixedBareAndEmptyParameters_CannotBeRecovered()
    {
        // JS signed "q=~tilde&e=&flag" but sends "q=%7Etilde&e=&flag="; the original mix of "e=" and "flag" is lost.
        // (UrlSigner signs such a query as it is sent instead: UrlSignerTests.)
        Assert.Equal(SignatureStatus.Invalid, VerifyUrl(UrlSignerTests.JsSdkMixedFlagsUrl, SpecNow).Status);
    }

    [Fact]
    public void KnownLimitation_PbeInTheOriginalQuery_CannotBeRecovered()
    {
        // The JS SDK signs over the caller's own "pbe=5" and then overwrites it with the real expiry.
        var pbs = UrlSigner.ComputeSignature(UrlSigner.SignedString("/v2/demo/original/a.jpg?pbe=5&x=1", "1700000060"), "tok-1");
        var signed = $"https://cdn.pixelbin.io/v2/demo/original/a.jpg?pbe=1700000060&x=1&pbs={pbs}&pbt=ak-1";

        Assert.Equal(SignatureStatus.Invalid, VerifyUrl(signed, SpecNow).Status);
    }

    [Theory]
    [InlineData("/v2/test-cloud/z-slug/t.resize(h:100,w:201)~t.flip()/path/to/image.png", V2Query)]
    [InlineData("/v2/test-cloud/z-slug/t.resize(h:100,w:200)~t.flip()/path/to/image.PNG", V2Query)]
    [InlineData("/v2/test-cloud/z-slug/t.resize(h:100,w:200)/path/to/image.png", V2Query)]
    [InlineData(V2Path, "dpr=3&f_auto=true&pbs=" + V2Pbs + "&pbe=1700000060&pbt=ak-42")]
    [InlineData(V2Path, "dpr=2&f_auto=true&extra=1&pbs=" + V2Pbs + "&pbe=1700000060&pbt=ak-42")]
    [InlineData(V2Path, "dpr=2&pbs=" + V2Pbs + "&pbe=1700000060&pbt=ak-42")]
    [InlineData(V2Path, "dpr=2&f_auto=true&pbs=" + V2Pbs + "&pbe=1700000061&pbt=ak-42")]
    [InlineData(V2Path, "dpr=2&f_auto=true&pbs=" + V2Pbs + "&pbe=1700000060.0&pbt=ak-42")]
    [InlineData(V2Path, "dpr=2&f_auto=true&pbs=" + V2Pbs + "&pbe=1700000060&pbt=ak-other")]
    [InlineData(V2Path, "dpr=2&f_auto=true&pbs=3bd676b9d3a8ffc35b3b9ae9ad589a16db4780e814f5dee54ff1d395ebe643a2&pbe=1700000060&pbt=ak-42")]
    [InlineData(V2Path, "dpr=2&f_auto=true&pbs=2bd676b9d3a8ffc35b3b9ae9ad589a16db4780e814f5dee54ff1d395ebe643a3&pbe=1700000060&pbt=ak-42")]
    public void Verify_TamperedV2_IsInvalid(string path, string query)
    {
        Assert.Equal(SignatureStatus.Invalid, SignatureVerifier.Verify(path, query, Ring, SpecNow).Status);
    }

    [Fact]
    public void Verify_UppercaseHexSignature_IsValid()
    {
        var query = V2Query.Replace(V2Pbs, V2Pbs.ToUpperInvariant(), StringComparison.Ordinal);

        Assert.Equal(SignatureStatus.Valid, SignatureVerifier.Verify(V2Path, query, Ring, SpecNow).Status);
    }

    [Theory]
    // The signed string ends "...?v=12" + pbe: sending "v=1" and pbe "2" + pbe signs the same string, 600 years later.
    [InlineData("/v2/demo/original/a.jpg?v=12", "/v2/demo/original/a.jpg?v=1", "2")]
    [InlineData("/v2/demo/original/a.jpg?v=12", "/v2/demo/original/a.jpg?v=", "12")]
    [InlineData("/v2/demo/original/a.jpg?dpr=2", "/v2/demo/original/a.jpg?dpr=", "2")]
    // A moved '0' keeps the expiry but changes what is served: the file img1 under the signature of img10.
    [InlineData("/v2/demo/original/img10", "/v2/demo/original/img1", "0")]
    [InlineData("/v2/demo/original/img2", "/v2/demo/original/img", "2")]
    public void Verify_DigitsMovedFromTheUrlIntoPbe_AreRefused(string signedPathAndQuery, string sentPathAndQuery, string moved)
    {
        var signed = UrlSigner.Sign("https://cdn.pixelbin.io" + signedPathAndQuery, 60, "ak-1", "tok-1", SpecNow);
        var (_, signedQuery) = SignedUrlParts.Split(signed);
        var pbs = signedQuery.Split('&').Single(p => p.StartsWith("pbs=", StringComparison.Ordinal));
        var (path, query) = SignedUrlParts.Split("https://cdn.pixelbin.io" + sentPathAndQuery);
        var tampered = (query.Length == 0 ? string.Empty : query + "&") + $"{pbs}&pbe={moved}1700000060&pbt=ak-1";

        Assert.Equal(SignatureStatus.Valid, VerifyUrl(signed, SpecNow).Status);
        Assert.Equal(SignatureStatus.Malformed, SignatureVerifier.Verify(path, tampered, Ring, SpecNow).Status);
    }

    [Theory]
    [InlineData("9999999999", SignatureStatus.Valid)] // 2286-11-20, the last plain expiry with ten digits
    [InlineData("1e+21", SignatureStatus.Valid)] // as JS prints 10^21 and more: digits put in front change little
    [InlineData("1.5e+300", SignatureStatus.Valid)]
    [InlineData("10000000000", SignatureStatus.Malformed)]
    [InlineData("01700000060", SignatureStatus.Malformed)]
    [InlineData("01e+21", SignatureStatus.Malformed)]
    public void Verify_PbeText_IsAPlainTenDigitNumberOrAnExponent(string pbe, SignatureStatus expected)
    {
        var pbs = UrlSigner.ComputeSignature(UrlSigner.SignedString("/v2/demo/original/a.jpg", pbe), "tok-1");

        var result = SignatureVerifier.Verify("/v2/demo/original/a.jpg", $"pbs={pbs}&pbe={Uri.EscapeDataString(pbe)}&pbt=ak-1", Ring, SpecNow);

        Assert.Equal(expected, result.Status);
    }

    [Fact]
    public void Verify_PbeMovedIntoThePast_IsExpired()
    {
        var query = V2Query.Replace("pbe=1700000060", "pbe=1699990000", StringComparison.Ordinal);

        Assert.Equal(SignatureStatus.Expired, SignatureVerifier.Verify(V2Path, query, Ring, SpecNow).Status);
    }

    [Theory]
    [InlineData("ak-43")]
    [InlineData("AK-42")]
    [InlineData("")]
    public void Verify_UnknownAccessKey_IsUnknownKey(string pbt)
    {
        var query = V2Query.Replace("pbt=ak-42", "pbt=" + pbt, StringComparison.Ordinal);

        var result = SignatureVerifier.Verify(V2Path, query, Ring, SpecNow);

        Assert.Equal(SignatureStatus.UnknownKey, result.Status);
        Assert.Equal("dpr=2&f_auto=true", result.CleanedQuery);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?")]
    [InlineData("dpr=2&f_auto=true")]
    [InlineData("dpr=2&pbe=1700000060&pbt=ak-42")]
    public void Verify_NoPbs_IsMissing(string query)
    {
        var result = SignatureVerifier.Verify(V2Path, query, Ring, SpecNow);

        Assert.Equal(SignatureStatus.Missing, result.Status);
        Assert.DoesNotContain("pb", result.CleanedQuery, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pbs=" + V2Pbs + "&pbt=ak-42")]
    [InlineData("pbs=" + V2Pbs + "&pbe=1700000060")]
    [InlineData("pbs=" + V2Pbs + "&pbs=" + V2Pbs + "&pbe=1700000060&pbt=ak-42")]
    [InlineData("pbs=" + V2Pbs + "&pbe=1700000060&pbe=1700000060&pbt=ak-42")]
    [InlineData("pbs=" + V2Pbs + "&pbe=1700000060&pbt=ak-42&pbt=ak-42")]
    [InlineData("pbs=abc&pbe=1700000060&pbt=ak-42")]
    [InlineData("pbs=zbd676b9d3a8ffc35b3b9ae9ad589a16db4780e814f5dee54ff1d395ebe643a2&pbe=1700000060&pbt=ak-42")]
    [InlineData("pbs=" + V2Pbs + "00&pbe=1700000060&pbt=ak-42")]
    [InlineData("pbs=" + V2Pbs + "&pbe=soon&pbt=ak-42")]
    [InlineData("pbs=" + V2Pbs + "&pbe=Infinity&pbt=ak-42")]
    [InlineData("pbs=" + V2Pbs + "&pbe=1e999&pbt=ak-42")]
    [InlineData("pbs=" + V2Pbs + "&pbe=&pbt=ak-42")]
    [InlineData("pbs=" + V2Pbs + "&pbe=+1700000060&pbt=ak-42")]
    public void Verify_UnreadableSignatureParameters_AreMalformed(string query)
    {
        Assert.Equal(SignatureStatus.Malformed, SignatureVerifier.Verify(V2Path, query, Ring, SpecNow).Status);
    }

    [Fact]
    public void Verify_SignatureParametersAnywhere_AreRemovedAndTheRestKeepsOrderAndForm()
    {
        var pbs = UrlSigner.ComputeSignature("v2/demo/original/a.jpg?b=1&a=x%20y&&c1700000060", "tok-1");

        var result = SignatureVerifier.Verify(
            "/v2/demo/original/a.jpg", $"b=1&pbt=ak-1&a=x%20y&pb%73={pbs}&&c&pbe=1700000060", Ring, SpecNow);

        Assert.Equal("b=1&a=x%20y&&c", result.CleanedQuery);
        Assert.Equal(SignatureStatus.Valid, result.Status);
    }

    [Theory]
    [InlineData(1700003600 + 30, SignatureStatus.Valid)]
    [InlineData(1700003600 + 30.999, SignatureStatus.Expired)]
    [InlineData(1700003600 + 31, SignatureStatus.Expired)]
    [InlineData(1700003600, SignatureStatus.Valid)]
    [InlineData(1600000000, SignatureStatus.Valid)]
    public void Verify_Expiry_AllowsTheDefaultClockSkew(double nowSeconds, SignatureStatus expected)
    {
        Assert.Equal(expected, VerifyUrl(V1Url, FixedTimeProvider.AtUnixSeconds(nowSeconds)).Status);
    }

    [Theory]
    [InlineData(1700003600, SignatureStatus.Valid)]
    [InlineData(1700003600.001, SignatureStatus.Expired)]
    public void Verify_Expiry_WithZeroSkew(double nowSeconds, SignatureStatus expected)
    {
        var options = new SignatureVerifierOptions { ClockSkew = TimeSpan.Zero };

        Assert.Equal(expected, VerifyUrl(V1Url, FixedTimeProvider.AtUnixSeconds(nowSeconds), options).Status);
    }

    [Theory]
    [InlineData(1700000000, SignatureStatus.Valid)]
    [InlineData(1700000000 - 30, SignatureStatus.Valid)]
    [InlineData(1700000000 - 31, SignatureStatus.LifetimeExceeded)]
    public void Verify_MaxLifetime_RefusesFarFutureExpiry(double nowSeconds, SignatureStatus expected)
    {
        var options = new SignatureVerifierOptions { MaxLifetime = TimeSpan.FromHours(1) };

        Assert.Equal(expected, VerifyUrl(V1Url, FixedTimeProvider.AtUnixSeconds(nowSeconds), options).Status);
    }

    [Fact]
    public void Options_NegativeValues_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SignatureVerifierOptions { ClockSkew = TimeSpan.FromSeconds(-1) });
        Assert.Throws<ArgumentOutOfRangeException>(() => new SignatureVerifierOptions { MaxLifetime = TimeSpan.FromSeconds(-1) });
    }

    [Fact]
    public void Verify_KeyRotation_BothKeysAreAccepted()
    {
        var ring = new SigningKeyRing([new("old", "old-token"), new("new", "new-token")]);
        const string url = "https://cdn.pixelbin.io/v2/demo/original/a.jpg?dpr=2";
        var signedOld = UrlSigner.Sign(url, 600, "old", "old-token", SpecNow);
        var signedNew = UrlSigner.Sign(url, 600, "new", "new-token", SpecNow);
        var crossed = signedNew.Replace("pbt=new", "pbt=old", StringComparison.Ordinal);

        foreach (var (signed, expected) in new[] { (signedOld, SignatureStatus.Valid), (signedNew, SignatureStatus.Valid), (crossed, SignatureStatus.Invalid) })
        {
            var (path, query) = SignedUrlParts.Split(signed);
            Assert.Equal(expected, SignatureVerifier.Verify(path, query, ring, SpecNow).Status);
        }

        var (oldPath, oldQuery) = SignedUrlParts.Split(signedOld);
        var afterRemoval = new SigningKeyRing([new("new", "new-token")]);
        Assert.Equal(SignatureStatus.UnknownKey, SignatureVerifier.Verify(oldPath, oldQuery, afterRemoval, SpecNow).Status);
    }

    [Theory]
    [InlineData("tenant-a", SignatureStatus.Valid)]
    [InlineData("tenant-b", SignatureStatus.Invalid)] // another tenant's cloud: refused as a wrong signature is
    [InlineData("Tenant-A", SignatureStatus.Invalid)] // cloud names are compared ordinally
    [InlineData(null, SignatureStatus.Invalid)] // the cloud is not known: only a key for every cloud signs
    public void Verify_AKeyLimitedToClouds_SignsOnlyTheirUrls(string? cloud, SignatureStatus expected)
    {
        var ring = new SigningKeyRing([new("ak-a", "tok-a") { Clouds = new HashSet<string> { "tenant-a", "shared" } }]);
        var (path, query) = SignedUrlParts.Split(UrlSigner.Sign("https://cdn.pixelbin.io/v2/tenant-a/original/a.jpg", 600, "ak-a", "tok-a", SpecNow));

        var result = SignatureVerifier.Verify(path, query, ring, SpecNow, cloud: cloud);

        Assert.Equal(expected, result.Status);
        Assert.Equal("ak-a", result.AccessKey);
    }

    [Theory]
    [InlineData("tenant-a")]
    [InlineData("tenant-b")]
    [InlineData(null)]
    public void Verify_AKeyListingNoClouds_SignsForEveryCloud(string? cloud)
    {
        var ring = new SigningKeyRing([new("ak-all", "tok-all")]);
        var (path, query) = SignedUrlParts.Split(UrlSigner.Sign("https://cdn.pixelbin.io/v2/tenant-a/original/a.jpg", 600, "ak-all", "tok-all", SpecNow));

        Assert.Equal(SignatureStatus.Valid, SignatureVerifier.Verify(path, query, ring, SpecNow, cloud: cloud).Status);
    }

    [Fact]
    public void Verify_HostilePathWithLoneSurrogate_DoesNotThrow()
    {
        var result = SignatureVerifier.Verify("/v2/\ud800/a.jpg", "x=\udc00&" + V2Query[18..], Ring, SpecNow);

        Assert.Equal(SignatureStatus.Invalid, result.Status);
    }
}
