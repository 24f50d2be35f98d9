using Microsoft.Net.Http.Headers;

namespace CdnProxy.Server.Http;

/// <summary>
/// A configured Cache-Control bounded by the expiry of the signed URL that asked: a signed URL that expires in 60 s was
/// answered with the configured year of <c>s-maxage</c>, so a CDN in front kept serving it long after <c>pbe</c>.
/// </summary>
public static class CacheLifetime
{
    /// <summary>
    /// <paramref name="cacheControl"/> with <c>max-age</c> and <c>s-maxage</c> at most the time left until
    /// <paramref name="until"/> and no stale serving; <c>no-store</c> when none is left; unchanged without a bound.
    /// </summary>
    public static string Bound(string cacheControl, DateTimeOffset? until, DateTimeOffset now)
    {
        if (until is not { } expires)
        {
            return cacheControl;
        }

        var left = TimeSpan.FromSeconds(Math.Floor((expires - now).TotalSeconds));
        if (left <= TimeSpan.Zero || !CacheControlHeaderValue.TryParse(cacheControl, out var header) || header.NoStore)
        {
            return "no-store";
        }

        // Serving stale copies would outlive the signature too.
        var stale = header.Extensions.Where(e => e.Name.StartsWith("stale-", StringComparison.OrdinalIgnoreCase)).ToList();
        if (header.MaxAge <= left && (header.SharedMaxAge is null || header.SharedMaxAge <= left) && stale.Count == 0)
        {
            return cacheControl; // already within the bound: the operator's header as written
        }

        header.MaxAge = header.MaxAge is { } maxAge && maxAge < left ? maxAge : left;
        if (header.SharedMaxAge is { } shared)
        {
            header.SharedMaxAge = shared < left ? shared : left;
        }

        foreach (var extension in stale)
        {
            header.Extensions.Remove(extension);
        }

        return header.ToString();
    }
}
