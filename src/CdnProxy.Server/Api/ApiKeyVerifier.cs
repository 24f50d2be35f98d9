using System.Security.Cryptography;
using System.Text;

namespace CdnProxy.Server.Api;

/// <summary>
/// Checks a request's API key against every configured key in constant time: keys are compared as SHA-256 digests
/// (equal length) with <see cref="CryptographicOperations.FixedTimeEquals"/>, and every key is always compared.
/// </summary>
public sealed class ApiKeyVerifier
{
    private readonly byte[][] _digests;

    public ApiKeyVerifier(IEnumerable<string> keys)
    {
        // Trimmed as ApiOptions validates them: a key pasted with a trailing newline still works.
        _digests = [.. keys.Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => Digest(k.Trim()))];
    }

    public bool Enabled => _digests.Length > 0;

    /// <summary>The key in <c>Authorization: Bearer &lt;key&gt;</c> or <c>x-api-key</c>, or null.</summary>
    public static string? PresentedKey(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        var header = request.Headers["x-api-key"].ToString().Trim();
        return header.Length > 0 ? header : null;
    }

    public bool IsValid(string? presented)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return false;
        }

        var digest = Digest(presented);
        var match = false;
        foreach (var known in _digests)
        {
            match |= CryptographicOperations.FixedTimeEquals(digest, known);
        }

        return match;
    }

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
