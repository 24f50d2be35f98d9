using CdnProxy.Core;
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
        var (cloud, zone, expires, signature) = Parts(urls.Create("https://cdn.test", "uploads", "zone-1", "abc", _time.GetUtcNow().AddSeconds(3000)));

        Assert.Equal(("uploads", "zone-1"), urls.Verify("abc", cloud, zone, expires, signature));
        _time.Advance(TimeSpan.FromSeconds(3001));
        Assert.Equal(CdnErrorKind.SignatureExpired, Assert.Throws<CdnException>(() => urls.Verify("abc", cloud, zone, expires, signature)).Kind);
    }

    [Fact]
    public void AnotherSessionCloudZoneOrSecret_IsRefused()
    {
        var urls = Urls();
        var (cloud, zone, expires, signature) = Parts(urls.Create("https://cdn.test", "uploads", null, "abc", _time.GetUtcNow().AddSeconds(60)));

        Assert.Equal(CdnErrorKind.SignatureInvalid, Assert.Throws<CdnException>(() => urls.Verify("abd", cloud, zone, expires, signature)).Kind);
        Assert.Equal(CdnErrorKind.SignatureInvalid, Assert.Throws<CdnException>(() => urls.Verify("abc", "demo", zone, expires, signature)).Kind);
        Assert.Equal(CdnErrorKind.SignatureInvalid, Assert.Throws<CdnException>(() => urls.Verify("abc", cloud, "zone-2", expires, signature)).Kind);
        Assert.Equal(CdnErrorKind.SignatureInvalid, Assert.Throws<CdnException>(() => Urls("another-api-key-0123456789abcdef0123").Verify("abc", cloud, zone, expires, signature)).Kind);
        Assert.Equal(CdnErrorKind.SignatureInvalid, Assert.Throws<CdnException>(() => urls.Verify("abc", cloud, zone, null, signature)).Kind);
    }

    [Fact]
    public void WithOnlyCloudKeys_TheSecretComesFromOne_NotFromNoKeyAtAll()
    {
        var keyless = new SignedUploadUrls(new CdnProxyOptions(), _time);
        var (cloud, zone, expires, signature) = Parts(keyless.Create("https://cdn.test", "uploads", null, "abc", _time.GetUtcNow().AddSeconds(60)));
        var cloudKeysOnly = new SignedUploadUrls(
            new CdnProxyOptions { Api = new CdnProxy.Server.Api.ApiOptions { CloudKeys = [new() { Key = "cloud-key-0123456789abcdef0123456789abcdef", Clouds = ["uploads"] }] } },
            _time);

        // Anyone can compute the keyless secret: a URL signed with it must not pass.
        Assert.Equal(CdnErrorKind.SignatureInvalid, Assert.Throws<CdnException>(() => cloudKeysOnly.Verify("abc", cloud, zone, expires, signature)).Kind);
    }

    [Fact]
    public void WithOnlyCloudKeys_NoTenantCanDeriveTheSecretFromItsOwnKey()
    {
        var keyA = new CdnProxy.Server.Api.ApiCloudKeyOptions { Key = "tenant-a-key-0123456789abcdef0123456789ab", Clouds = ["alpha"] };
        var keyB = new CdnProxy.Server.Api.ApiCloudKeyOptions { Key = "tenant-b-key-0123456789abcdef0123456789ab", Clouds = ["bravo"] };
        var server = new SignedUploadUrls(new CdnProxyOptions { Api = new CdnProxy.Server.Api.ApiOptions { CloudKeys = [keyA, keyB] } }, _time);
        var reordered = new SignedUploadUrls(new CdnProxyOptions { Api = new CdnProxy.Server.Api.ApiOptions { CloudKeys = [keyB, keyA] } }, _time);

        // What tenant A can compute knowing its key only: a URL of another tenant's cloud, for as long as it likes.
        var forgedByA = new SignedUploadUrls(new CdnProxyOptions { Api = new CdnProxy.Server.Api.ApiOptions { CloudKeys = [keyA] } }, _time);
        var (cloud, zone, expires, signature) = Parts(forgedByA.Create("https://cdn.test", "bravo", null, "abc", _time.GetUtcNow().AddDays(365)));
        var issued = Parts(server.Create("https://cdn.test", "bravo", null, "abc", _time.GetUtcNow().AddSeconds(60)));

        Assert.Equal(CdnErrorKind.SignatureInvalid, Assert.Throws<CdnException>(() => server.Verify("abc", cloud, zone, expires, signature)).Kind);
        Assert.Equal(("bravo", (string?)null), reordered.Verify("abc", issued.Cloud, issued.Zone, issued.Expires, issued.Signature));
    }

    private SignedUploadUrls Urls(string apiKey = "first-api-key-0123456789abcdef0123456") =>
        new(new CdnProxyOptions { Api = new CdnProxy.Server.Api.ApiOptions { Keys = [apiKey] } }, _time);

    private static (string? Cloud, string? Zone, string? Expires, string? Signature) Parts(string url)
    {
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(url).Query);
        string? Value(string key) => query.TryGetValue(key, out var value) ? value.ToString() : null;
        return (Value("cloud"), Value("zone"), Value("expires"), Value("signature"));
    }
}
