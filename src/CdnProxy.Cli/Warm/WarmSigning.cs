using CdnProxy.Urls.Security;

namespace CdnProxy.Cli.Warm;

/// <summary>
/// Signs every URL a warm-up requests (<c>pbs</c>, <c>pbe</c>, <c>pbt</c>, as <c>cdnproxy sign</c> does), afresh for each
/// attempt, so clouds that require signed URLs can be warmed. The signature is not part of a rendition's cache key:
/// the rendition warmed is the one every other signed URL of that image and pattern gets.
/// </summary>
public sealed record WarmSigning(string AccessKey, string Token, double ExpirySeconds)
{
    /// <summary>The default lifetime of each signed request: long enough for a slow render and its retries' waits.</summary>
    public const double DefaultExpirySeconds = 300;

    /// <summary><paramref name="url"/> signed now; an <see cref="ArgumentException"/> when it cannot be (already signed, invalid).</summary>
    public string Sign(string url, TimeProvider time) => UrlSigner.Sign(url, ExpirySeconds, AccessKey, Token, time);

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(AccessKey) || string.IsNullOrWhiteSpace(Token))
        {
            throw new ArgumentException("signing needs both --access-key and --token");
        }

        if (SignCommand.ExpiryRefusal(ExpirySeconds) is { } refusal)
        {
            throw new ArgumentException(refusal);
        }
    }
}
