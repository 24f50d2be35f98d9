using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CdnProxy.Core.Jobs;

/// <summary>
/// Signs webhook bodies the Standard Webhooks way, so receivers can verify them with a stock library:
/// <c>webhook-id</c>, <c>webhook-timestamp</c> (Unix seconds) and <c>webhook-signature: v1,&lt;base64 HMAC-SHA256 of
/// "id.timestamp.body"&gt;</c>. The secret is written <c>whsec_&lt;base64&gt;</c> (the prefix is optional); its
/// decoded bytes are the HMAC key.
/// </summary>
public sealed class WebhookSigner
{
    private const string Prefix = "whsec_";
    private readonly byte[] _key;

    public WebhookSigner(string secret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(secret);
        _key = Decode(secret) ?? throw new ArgumentException("The webhook secret must be base64 (optionally prefixed whsec_)", nameof(secret));
    }

    /// <summary>The secret's key bytes, or null when it is not valid base64.</summary>
    public static byte[]? Decode(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var text = secret.Trim();
        text = text.StartsWith(Prefix, StringComparison.Ordinal) ? text[Prefix.Length..] : text;
        var buffer = new byte[text.Length];
        return text.Length > 0 && Convert.TryFromBase64String(text, buffer, out var written) && written >= 16 ? buffer[..written] : null;
    }

    /// <summary>The three headers for one attempt of a message.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers(string messageId, DateTimeOffset timestamp, string body)
    {
        var seconds = timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{messageId}.{seconds}.{body}"));
        return
        [
            new("webhook-id", messageId),
            new("webhook-timestamp", seconds),
            new("webhook-signature", "v1," + Convert.ToBase64String(signature)),
        ];
    }
}
