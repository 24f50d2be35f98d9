using System.Security.Cryptography;
using System.Text;
using CdnProxy.Core;

namespace CdnProxy.Server.Api;

/// <summary>
/// Checks a request's API key against every configured key in constant time: keys are compared as SHA-256 digests
/// (equal length) with <see cref="CryptographicOperations.FixedTimeEquals"/>, and every key is always compared.
/// </summary>
public sealed class ApiKeyVerifier
{
    private readonly (byte[] Digest, ApiKeyScope Scope)[] _keys;

    /// <summary>Keys that serve every cloud.</summary>
    public ApiKeyVerifier(IEnumerable<string> keys)
        : this(new ApiOptions { Keys = [.. keys] })
    {
    }

    /// <summary><c>Api:Keys</c> serve every cloud, <c>Api:CloudKeys</c> the clouds each lists.</summary>
    public ApiKeyVerifier(ApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        // Trimmed as ApiOptions validates them: a key pasted with a trailing newline still works.
        _keys =
        [
            .. options.Keys.Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => (Digest(k.Trim()), ApiKeyScope.EveryCloud)),
            .. options.CloudKeys.Where(k => !string.IsNullOrWhiteSpace(k.Key)).Select(k => (Digest(k.Key.Trim()), ApiKeyScope.Only(k.Clouds))),
        ];
    }

    public bool Enabled => _keys.Length > 0;

    /// <summary>
    /// The key a request presents in its headers or query, or null. The seeds each send it their own way, so all are
    /// accepted: <c>Authorization: Bearer &lt;key&gt;</c> (Pixelbin, 6px), <c>x-api-key</c>, <c>WWW-Authenticate:
    /// &lt;key&gt;</c> (PixLab) and <c>?key=</c> (Pixble, PixLab). APIs whose seed sends <c>key</c> as a body field read
    /// it themselves and pass it to <see cref="IsValid"/> when this finds none.
    /// Two different keys (in two places, or one place twice) give <see cref="Conflicting"/>, which is never valid.
    /// </summary>
    public static string? PresentedKey(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var presented = Candidates(request).Distinct(StringComparer.Ordinal).Take(2).ToList();
        return presented.Count switch
        {
            0 => null,
            1 => presented[0],
            _ => Conflicting,
        };
    }

    /// <summary>
    /// What <see cref="PresentedKey"/> answers for a request that presents two different keys: refused (401), where one
    /// of them used to be picked silently (a valid bearer token let a wrong <c>x-api-key</c> pass, but not the reverse).
    /// </summary>
    public const string Conflicting = "(two different API keys)";

    private static IEnumerable<string> Candidates(HttpRequest request)
    {
        foreach (var authorization in request.Headers.Authorization)
        {
            if (authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && NonEmpty(authorization["Bearer ".Length..]) is { } bearer)
            {
                yield return bearer;
            }
        }

        var others = request.Headers["x-api-key"].Concat(request.Headers.WWWAuthenticate.Select(v => WithoutScheme(v ?? string.Empty))).Concat(request.Query["key"]);
        foreach (var value in others)
        {
            if (NonEmpty(value ?? string.Empty) is { } key)
            {
                yield return key;
            }
        }
    }

    /// <summary>
    /// The valid key a request authenticates with, or null: the one its headers or query present (see
    /// <see cref="PresentedKey"/>), else, for the seeds that send it there, its body's <c>key</c> field. The key's
    /// <see cref="ApiKeyScope"/> is kept on the request (<see cref="ApiKeyScope.Of"/>) for the endpoint's cloud check.
    /// </summary>
    public string? Authenticate(HttpRequest request, string? bodyKey = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = PresentedKey(request) ?? NonEmpty(bodyKey ?? string.Empty);
        if (ScopeOf(key) is not { } scope)
        {
            return null;
        }

        request.HttpContext.Features.Set(scope);
        return key;
    }

    /// <summary>
    /// For the APIs that may also take the key from their body: a key the headers or query present is checked before
    /// the body is read, so a wrong key costs no upload. Returns that key, or null when none is there (the body's
    /// <c>key</c> may follow; <see cref="Authenticate"/> decides then).
    /// </summary>
    /// <exception cref="CdnException">The presented key is not valid (<see cref="CdnErrorKind.ApiKeyInvalid"/>, with <paramref name="refusal"/>).</exception>
    public string? CheckPresentedKey(HttpRequest request, string refusal)
    {
        var presented = PresentedKey(request);
        if (presented is not null && !IsValid(presented))
        {
            throw new CdnException(CdnErrorKind.ApiKeyInvalid, refusal);
        }

        return presented;
    }

    public bool IsValid(string? presented) => ScopeOf(presented) is not null;

    /// <summary>The clouds <paramref name="presented"/> serves, or null when it is no valid key.</summary>
    public ApiKeyScope? ScopeOf(string? presented)
    {
        if (string.IsNullOrEmpty(presented) || presented == Conflicting)
        {
            return null;
        }

        // Every key is compared, whichever matches: the time does not tell which key (or list) it was.
        var digest = Digest(presented);
        ApiKeyScope? scope = null;
        foreach (var (known, knownScope) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(digest, known))
            {
                scope = knownScope;
            }
        }

        return scope;
    }

    private static string? NonEmpty(string value)
    {
        var trimmed = value.Trim();
        return trimmed.Length > 0 ? trimmed : null;
    }

    // PixLab sends the bare key; a client that copies the Authorization habit may prefix "Bearer ".
    private static string WithoutScheme(string value) =>
        value.TrimStart().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? value.TrimStart()["Bearer ".Length..] : value;

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
