using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CdnProxy.Core;
using CdnProxy.Server.Hosting;

namespace CdnProxy.Server.Uploads;

/// <summary>
/// The server's own signed upload URLs (<c>/api/v1/upload/signed/{id}?cloud=&amp;zone=&amp;issuer=&amp;expires=&amp;signature=</c>):
/// HMAC-SHA256 over the cloud, zone, session id, issuing key and expiry with <c>Uploads:SigningSecret</c> (or a key
/// derived from the API keys), compared in constant time. Holding the URL is the permission: it names one session until
/// it expires, or until the API key that asked for it is no longer configured (revoked or rotated out), as a CDN URL
/// ends with its signing key.
/// </summary>
public sealed class SignedUploadUrls
{
    public const string RoutePrefix = "/api/v1/upload/signed/";

    private readonly byte[] _secret;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, Api.ApiKeyScope> _issuers;

    public SignedUploadUrls(CdnProxyOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var configured = options.Uploads.SigningSecret;
        _secret = configured.Length > 0
            ? Encoding.UTF8.GetBytes(configured)
            : SHA256.HashData(Encoding.UTF8.GetBytes("cdnproxy signed uploads\n" + DerivedFrom(options.Api)));
        _time = time;
        // The scope each configured key has now: a URL of a key that no longer serves its cloud ends too.
        _issuers = new(StringComparer.Ordinal);
        foreach (var key in Present(options.Api.Keys))
        {
            _issuers[IssuerOf(key)] = Api.ApiKeyScope.EveryCloud;
        }

        foreach (var key in options.Api.CloudKeys.Where(k => !string.IsNullOrWhiteSpace(k.Key)))
        {
            _issuers.TryAdd(IssuerOf(key.Key.Trim()), Api.ApiKeyScope.Only(key.Clouds));
        }
    }

    private static IEnumerable<string> Present(IEnumerable<string?> keys) => keys.Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => k!.Trim());

    /// <summary>
    /// What the secret is derived from without <c>Uploads:SigningSecret</c>: the first plain key (its holder serves
    /// every cloud anyway), else every cloud key together, in ordinal order: derived from one tenant's key, that tenant
    /// could sign upload URLs of every cloud; derived from no key at all, anyone could.
    /// </summary>
    private static string DerivedFrom(Api.ApiOptions api)
    {
        return Present(api.Keys).FirstOrDefault()
            ?? string.Join('\n', Present(api.CloudKeys.Select(k => k.Key)).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// The absolute URL of session <paramref name="id"/> of <paramref name="cloud"/> (and zone), valid until
    /// <paramref name="expires"/> while <paramref name="apiKey"/>, the key that asked for it, is configured.
    /// </summary>
    public string Create(string baseUrl, string cloud, string? zone, string id, DateTimeOffset expires, string apiKey)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        var seconds = expires.ToUnixTimeSeconds();
        var issuer = IssuerOf(apiKey.Trim());
        var query = "cloud=" + Uri.EscapeDataString(cloud) + (zone is null ? string.Empty : "&zone=" + Uri.EscapeDataString(zone))
            + "&issuer=" + issuer + "&expires=" + seconds.ToString(CultureInfo.InvariantCulture) + "&signature=" + Signature(cloud, zone, id, issuer, seconds);
        return baseUrl.TrimEnd('/') + RoutePrefix + id + "?" + query;
    }

    /// <summary>
    /// Checks a request's signature and expiry (before any body is read); returns the cloud and zone it names.
    /// Fails with <c>signature_invalid</c> (also when the key that asked for the URL is no longer configured) or
    /// <c>signature_expired</c>. A URL without <c>issuer</c> was issued before URLs named their key: it is checked as then
    /// and lives until its expiry (at most <see cref="UploadOptions.MaxSignedUrlExpirySeconds"/>).
    /// </summary>
    public (string Cloud, string? Zone) Verify(string id, string? cloud, string? zone, string? issuer, string? expires, string? signature)
    {
        if (string.IsNullOrEmpty(cloud) || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || string.IsNullOrEmpty(signature))
        {
            throw new CdnException(CdnErrorKind.SignatureInvalid, "The upload URL is not valid");
        }

        zone = string.IsNullOrEmpty(zone) ? null : zone;
        issuer = string.IsNullOrEmpty(issuer) ? null : issuer;
        var expected = Encoding.ASCII.GetBytes(Signature(cloud, zone, id, issuer, seconds));
        var presented = Encoding.ASCII.GetBytes(signature);
        if (!CryptographicOperations.FixedTimeEquals(expected, presented))
        {
            throw new CdnException(CdnErrorKind.SignatureInvalid, "The upload URL is not valid");
        }

        if (issuer is not null && !(_issuers.TryGetValue(issuer, out var scope) && scope.Serves(cloud)))
        {
            throw new CdnException(CdnErrorKind.SignatureInvalid, "The API key that issued this upload URL is no longer accepted");
        }

        if (_time.GetUtcNow().ToUnixTimeSeconds() > seconds)
        {
            throw new CdnException(CdnErrorKind.SignatureExpired, "The upload URL has expired");
        }

        return (cloud, zone);
    }

    /// <summary>
    /// The signature of a URL; with an issuer its text starts differently from an issuer-less one's, so neither kind of
    /// signature can be read as the other.
    /// </summary>
    private string Signature(string cloud, string? zone, string id, string? issuer, long expires)
    {
        var seconds = expires.ToString(CultureInfo.InvariantCulture);
        var text = issuer is null
            ? string.Join('\n', "upload", cloud, zone ?? string.Empty, id, seconds)
            : string.Join('\n', "upload-by-key", cloud, zone ?? string.Empty, id, issuer, seconds);
        return Mac(text);
    }

    /// <summary>
    /// Names an API key in its upload URLs without showing it: a MAC under the upload secret, so the name tells nothing
    /// about the key to anyone without the secret.
    /// </summary>
    private string IssuerOf(string apiKey) => Mac("upload-issuer\n" + apiKey)[..22];

    private string Mac(string text) => Base64Url.EncodeToString(HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes(text)));
}
