
namespace CdnProxy.Urls.Tests.Security;

/// <summary>Cuts a signed URL into what a server receives: the raw path and the raw query (no fragment).</summary>
public static class SignedUrlParts
{
    public static (string RawPath, string RawQuery) Split(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var rest = url[url.IndexOf('/', scheme + 3)..];
        var hash = rest.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
        {
            rest = rest[..hash];
        }

        var question = rest.IndexOf('?', StringComparison.Ordinal);
        return question < 0 ? (rest, string.Empty) : (rest[..question], rest[(question + 1)..]);
    }
}
