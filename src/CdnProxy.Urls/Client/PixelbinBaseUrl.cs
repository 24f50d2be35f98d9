namespace CdnProxy.Urls.Client;

/// <summary>Why a text cannot start the URLs built on it (<see cref="PixelbinBaseUrl.Problem"/>).</summary>
public enum BaseUrlProblem
{
    /// <summary>Not an absolute <c>http</c> or <c>https</c> URL with a host, or it holds a space, control character or backslash.</summary>
    NotAbsoluteHttp,

    /// <summary>It has a query or a fragment: the paths appended after it would land inside them.</summary>
    QueryOrFragment,

    /// <summary>It carries a user name or password (<c>user@host</c>), which would be written into every URL.</summary>
    UserInfo,
}

/// <summary>
/// The one check of a base URL (the start of every URL a builder writes or a client requests): paths are appended to
/// it, so it must be an absolute http(s) URL, with or without a path prefix and a trailing slash, and nothing that
/// would end up before or around those paths or send them to another host.
/// </summary>
public static class PixelbinBaseUrl
{
    /// <summary>What is wrong with <paramref name="text"/> as a base URL; null when it is usable.</summary>
    /// <param name="text">The candidate, e.g. <c>https://cdn.example.com</c> or <c>https://example.com/images/</c>.</param>
    /// <returns>The problem, or null.</returns>
    public static BaseUrlProblem? Problem(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '\\')
            || !Uri.TryCreate(text, UriKind.Absolute, out var url)
            || url.Scheme is not ("http" or "https")
            || url.Host.Length == 0)
        {
            return BaseUrlProblem.NotAbsoluteHttp;
        }

        if (text.Contains('?', StringComparison.Ordinal) || text.Contains('#', StringComparison.Ordinal))
        {
            return BaseUrlProblem.QueryOrFragment;
        }

        // '@' in the authority (between "//" and the path): Uri's UserInfo is empty for a bare "https://@host".
        var authority = text[(text.IndexOf("//", StringComparison.Ordinal) + 2)..].Split('/')[0];
        return url.UserInfo.Length > 0 || authority.Contains('@', StringComparison.Ordinal) ? BaseUrlProblem.UserInfo : null;
    }
}
