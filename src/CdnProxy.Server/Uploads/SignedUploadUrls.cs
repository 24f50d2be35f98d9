using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CdnProxy.Core;
using CdnProxy.Server.Hosting;

namespace CdnProxy.Server.Uploads;

/// <summary>
/// The server's own signed upload URLs (<c>/api/v1/upload/signed/{id}?cloud=&amp;zone=&amp;expires=&amp;signature=</c>):
/// HMAC-SHA256 over the cloud, zone, session id and expiry with <c>Uploads:SigningSecret</c> (or a key derived from
/// the first API key), compared in constant time. Holding the URL is the permission: it names one session until it expires.
/// </summary>
public sealed class SignedUploadUrls
{
    public const string RoutePrefix = "/api/v1/upload/signed/";

    private readonly byte[] _secret;
    private readonly TimeProvider _time;

    public SignedUploadUrls(CdnProxyOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var configured = options.Uploads.SigningSecret;
        _secret = configured.Length > 0
            ? Encoding.UTF8.GetBytes(configured)
            : SHA256.HashData(Encoding.UTF8.GetBytes("cdnproxy signed uploads\n" + DerivedFrom(options.Api)));
        _time = time;
    }

    /// <summary>
    /// What the secret is derived from without <c>Uploads:SigningSecret</c>: the first plain key (its holder serves
    /// every cloud anyway), else every cloud key together, in ordinal order: derived from one tenant's key, that tenant
    /// could sign upload URLs of every cloud; derived from no key at all, anyone could.
    /// </summary>
    private static string DerivedFrom(Api.ApiOptions api)
    {
        static IEnumerable<string> Present(IEnumerable<string?> keys) => keys.Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => k!.Trim());
        return Present(api.Keys).FirstOrDefault()
            ?? string.Join('\n', Present(api.CloudKeys.Select(k => k.Key)).Order(StringComparer.Ordinal));
    }

    /// <summary>The absolute URL of session <paramref name="id"/> of <paramref name="cloud"/> (and zone), valid until <paramref name="expires"/>.</summary>
    public string Create(string baseUrl, string cloud, string? zone, string id, DateTimeOffset expires)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        var seconds = expires.ToUnixTimeSeconds();
        var query = "cloud=" + Uri.EscapeDataString(cloud) + (zone is null ? string.Empty : "&zone=" + Uri.EscapeDataString(zone))
            + "&expires=" + seconds.ToString(CultureInfo.InvariantCulture) + "&signature=" + Signature(cloud, zone, id, seconds);
        return baseUrl.TrimEnd('/') + RoutePrefix + id + "?" + query;
    }

    /// <summary>
    /// Checks a request's signature and expiry (before any body is read); returns the cloud and zone it names.
    /// Fails with <c>signature_invalid</c> or <c>signature_expired</c>.
    /// </summary>
    public (string Cloud, string? Zone) Verify(string id, string? cloud, string? zone, string? expires, string? signature)
    {
        if (string.IsNullOrEmpty(cloud) || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || string.IsNullOrEmpty(signature))
        {
            throw new CdnException(CdnErrorKind.SignatureInvalid, "The upload URL is not valid");
        }

        zone = string.IsNullOrEmpty(zone) ? null : zone;
        var expected = Encoding.ASCII.GetBytes(Signature(cloud, zone, id, seconds));
        var presented = Encoding.ASCII.GetBytes(signature);
        if (!CryptographicOperations.FixedTimeEquals(expected, presented))
        {
            throw new CdnException(CdnErrorKind.SignatureInvalid, "The upload URL is not valid");
        }

        if (_time.GetUtcNow().ToUnixTimeSeconds() > seconds)
        {
            throw new CdnException(CdnErrorKind.SignatureExpired, "The upload URL has expired");
        }

        return (cloud, zone);
    }

    private string Signature(string cloud, string? zone, string id, long expires)
    {
        var text = string.Join('\n', "upload", cloud, zone ?? string.Empty, id, expires.ToString(CultureInfo.InvariantCulture));
        return Base64Url.EncodeToString(HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes(text)));
    }
}
