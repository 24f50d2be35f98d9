using CdnProxy.Core;
using CdnProxy.Server.Api;
using CdnProxy.Server.Hosting;
using CdnProxy.Server.Uploads;
using Microsoft.Extensions.Time.Testing;

namespace CdnProxy.Server.Tests.Uploads;

/// <summary>The server's own upload URLs: bound to cloud, zone, session and expiry; they expire on the injected clock.</summary>
public sealed class SignedUploadUrlsTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-06-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void AValidUrl_NamesItsCloudAndZone_UntilItExpires()
    {
        var urls = Urls();
        var (cloud, zone, issuer, expires, signature) = Parts(urls.Create("https://cdn.test", "uploads", "zone-1", "abc", _time.GetUtcNow().AddSeconds(3000), FirstKey));

        Assert.Equal(("uploads", "zone-1"), urls.Verify("abc", cloud, zone, issuer, expires, signature));
        _time.Advance(TimeSpan.FromSeconds(3001));
        Assert.Equal(CdnErrorKind.SignatureExpired, Assert.Throws<CdnException>(() => urls.Verify("abc", cloud, zone, issuer, expires, signature)).Kind);
    }

    [Fact]
    public void AnotherSessionCloudZoneOrSecret_IsRefused()
    {
        var urls = Urls();
        var (cloud, zone, issuer, expires, signature) = Parts(urls.Create("https://cdn.test", "uploads", null, "abc", _time.GetUtcNow().AddSeconds(60), FirstKey));

        Assert.Equal(CdnErrorKind.SignatureInvalid, Assert.Throws<CdnException>(() => urls.Verify("abd", cloud, zone, issuer, expires, signature)).Kind);
        Assert.Equal(CdnErrorKind.SignatureInvalid, Assert.Throws<CdnException>(() => urls.Verify("abc", "demo", zone, issuer, expires, signature)).Kind);
        Assert.Equal(CdnErrorKind.SignatureInvalid, Assert.Throws<CdnException>(() => urls.Verify("abc", cloud, "zone-2", issuer, expires, signature)).Kind);
        Assert.Equal(CdnErrorKind.SignatureInvalid, Assert.Throws<CdnException>(() => Urls("another-api-key-0123456789abcdef0123").Verify("abc", cloud, zone, issuer, expires, signature)).Kind);
        Assert.Equal(CdnErrorKind.SignatureInvalid, Assert.Throws<CdnException>(() => urls.Verify("abc", cloud, zone, issuer, null, signature)).Kind);
    }

    [Fact]
    public void WithOnlyCloudKeys_TheSecretComesFromOne_NotFromNoKeyAtAll()
    {
        var keyless = new SignedUploadUrls(new CdnProxyOptions(), _time);
        var (cloud, zone, issuer, expires, signature) = Parts(keyless.Create("https://cdn.test", "uploads", null, "abc", _time.GetUtcNow().AddSeconds(60), "cloud-key-0123456789abcdef0123456789abcdef"));
        var cloudKeysOnly = new SignedUploadUrls(
            new CdnProxyOptions { Api = new ApiOptions { CloudKeys = [new() { Key = "cloud-key-0123456789abcdef0123456789abcdef", Clouds = ["uploads"] }] } },
            _time);

        // Anyone can compute the keyless secret: a URL signed with it must not pass.
        Assert.Equal(CdnErrorKind.SignatureInvalid, Assert.Throws<CdnException>(() => cloudKeysOnly.Verify("abc", cloud, zone, issuer, expires, signature)).Kind);
    }

    [Fact]
    public void WithOnlyCloudKeys_NoTenantCanDeriveTheSecretFromItsOwnKey()
    {
        var keyA = new ApiCloudKeyOptions { Key = "tenant-a-key-0123456789abcdef0123456789ab", Clouds = ["alpha"] };
        var keyB = new ApiCloudKeyOptions { Key = "tenant-b-key-0123456789abcdef0123456789ab", Clouds = ["bravo"] };
        var server = new SignedUploadUrls(new CdnProxyOptions { Api = new ApiOptions { CloudKeys = [keyA, keyB] } }, _time);
        var reordered = new SignedUploadUrls(new CdnProxyOptions { Api = new ApiOptions { CloudKeys = [keyB, keyA] } }, _time);

        // What tenant A can compute knowing its key only: a URL of another tenant's cloud, for as long as it likes.
        var forgedByA = new SignedUploadUrls(new CdnProxyOptions { Api = new ApiOptions { CloudKeys = [keyA] } }, _time);
        var (cloud, zone, issuer, expires, signature) = Parts(forgedByA.Create("https://cdn.test", "bravo", null, "abc", _time.GetUtcNow().AddDays(365), keyA.Key));
        var issued = Parts(server.Create("https://cdn.test", "bravo", null, "abc", _time.GetUtcNow().AddSeconds(60), keyB.Key));

        Assert.Equal(CdnErrorKind.SignatureInvalid, Assert.Throws<CdnException>(() => server.Verify("abc", cloud, zone, issuer, expires, signature)).Kind);
        Assert.Equal(("bravo", (string?)null), reordered.Verify("abc", issued.Cloud, issued.Zone, issued.Issuer, issued.Expires, issued.Signature));
    }

    [Fact]
    public void AUrl_EndsWhenItsKeyIsRemovedOrNoLongerServesItsCloud_NotWhenAnotherKeyIs()
    {
        const string Secret = "upload-signing-secret-0123456789abcdef0123";
        var keyA = new ApiCloudKeyOptions { Key = "tenant-a-key-0123456789abcdef0123456789ab", Clouds = ["alpha"] };
        var keyB = new ApiCloudKeyOptions { Key = "tenant-b-key-0123456789abcdef0123456789ab", Clouds = ["bravo"] };
        SignedUploadUrls Server(params ApiCloudKeyOptions[] keys) =>
            new(new CdnProxyOptions { Api = new ApiOptions { CloudKeys = [.. keys] }, Uploads = new UploadOptions { SigningSecret = Secret } }, _time);
        var url = Parts(Server(keyA, keyB).Create("https://cdn.test", "alpha", null, "abc", _time.GetUtcNow().AddSeconds(60), keyA.Key));
        (string, string?) Verify(SignedUploadUrls server, string? issuer) => server.Verify("abc", url.Cloud, url.Zone, issuer, url.Expires, url.Signature);

        Assert.Equal(("alpha", (string?)null), Verify(Server(keyA), url.Issuer));
        Assert.Equal(CdnErrorKind.SignatureInvalid, Assert.Throws<CdnException>(() => Verify(Server(keyB), url.Issuer)).Kind);
        var moved = new ApiCloudKeyOptions { Key = keyA.Key, Clouds = ["bravo"] };
        Assert.Equal(CdnErrorKind.SignatureInvalid, Assert.Throws<CdnException>(() => Verify(Server(moved, keyB), url.Issuer)).Kind);

        // Without its issuer (or with another key's) the signature is not the URL's: the check cannot be dropped.
        Assert.Equal(CdnErrorKind.SignatureInvalid, Assert.Throws<CdnException>(() => Verify(Server(keyA, keyB), null)).Kind);
        var ofB = Parts(Server(keyA, keyB).Create("https://cdn.test", "bravo", null, "abc", _time.GetUtcNow().AddSeconds(60), keyB.Key));
        Assert.Equal(CdnErrorKind.SignatureInvalid, Assert.Throws<CdnException>(() => Verify(Server(keyA, keyB), ofB.Issuer)).Kind);
    }

    private const string FirstKey = "first-api-key-0123456789abcdef0123456";

    private SignedUploadUrls Urls(string apiKey = FirstKey) =>
        new(new CdnProxyOptions { Api = new ApiOptions { Keys = [apiKey] } }, _time);

    private static (string? Cloud, string? Zone, string? Issuer, string? Expires, string? Signature) Parts(string url)
    {
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(url).Query);
        string? Value(string key) => query.TryGetValue(key, out var value) ? value.ToString() : null;
        return (Value("cloud"), Value("zone"), Value("issuer"), Value("expires"), Value("signature"));
    }
}
