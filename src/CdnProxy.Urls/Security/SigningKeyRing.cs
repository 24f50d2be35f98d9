using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace CdnProxy.Urls.Security;

/// <summary>
/// The signing keys accepted at the same time, looked up by access key (<c>pbt</c>). Holding several keys lets a
/// token be rotated: add the new key, move signers to it, then remove the old one once its URLs have expired.
/// </summary>
public sealed class SigningKeyRing
{
    private readonly Dictionary<string, SigningKey> _byAccessKey;
    private readonly Dictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> _entriesBySpan;

    /// <summary>Creates a ring from <paramref name="keys"/>.</summary>
    /// <param name="keys">The active keys; may be empty (then every signed URL is <see cref="SignatureStatus.UnknownKey"/>).</param>
    /// <exception cref="ArgumentException">When two keys share an access key, or a key is null.</exception>
    public SigningKeyRing(IEnumerable<SigningKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var list = keys.ToList();
        _byAccessKey = new Dictionary<string, SigningKey>(list.Count, StringComparer.Ordinal);
        foreach (var key in list)
        {
            if (key is null)
            {
                throw new ArgumentException("A signing key is null.", nameof(keys));
            }

            if (!_byAccessKey.TryAdd(key.AccessKey, key))
            {
                throw new ArgumentException($"The access key '{key.AccessKey}' appears more than once.", nameof(keys));
            }
        }

        Keys = list.AsReadOnly();

        // The verifier looks keys up by a slice of the query and needs the HMAC key bytes on every request: both are
        // prepared once here instead of per request (a string for pbt, an Encoding.UTF8.GetBytes of the token).
        var entries = new Dictionary<string, Entry>(list.Count, StringComparer.Ordinal);
        foreach (var key in list)
        {
            entries.Add(key.AccessKey, new Entry(key, Encoding.UTF8.GetBytes(key.Token)));
        }

        _entriesBySpan = entries.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>A ring that accepts nothing.</summary>
    public static SigningKeyRing Empty { get; } = new([]);

    /// <summary>The keys, in the order given.</summary>
    public IReadOnlyList<SigningKey> Keys { get; }

    /// <summary>Finds the key whose access key is exactly <paramref name="accessKey"/>.</summary>
    /// <param name="accessKey">The <c>pbt</c> value, form-decoded.</param>
    /// <param name="key">The key found, or null.</param>
    /// <returns>True when a key was found.</returns>
    public bool TryGet(string accessKey, [NotNullWhen(true)] out SigningKey? key)
    {
        ArgumentNullException.ThrowIfNull(accessKey);
        return _byAccessKey.TryGetValue(accessKey, out key);
    }

    /// <summary>Finds the key whose access key is exactly <paramref name="accessKey"/>, with its token's UTF-8 bytes.</summary>
    internal bool TryGetEntry(ReadOnlySpan<char> accessKey, [NotNullWhen(true)] out Entry? entry) =>
        _entriesBySpan.TryGetValue(accessKey, out entry);

    /// <summary>A key and the UTF-8 bytes of its token (the HMAC key), computed once. Never exposed outside the library.</summary>
    internal sealed class Entry(SigningKey key, byte[] tokenUtf8)
    {
        public SigningKey Key { get; } = key;

        public byte[] TokenUtf8 { get; } = tokenUtf8;
    }
}
