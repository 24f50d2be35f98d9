namespace CdnProxy.Cli;

/// <summary>Turns a full URL or a bare path into the percent-decoded request path the splitter expects.</summary>
internal static class RequestPath
{
    /// <summary>Returns the path part of <paramref name="urlOrPath"/>, without query or fragment, percent-decoded once.</summary>
    /// <remarks>
    /// The path is cut out by hand rather than through <see cref="Uri"/>, which would resolve <c>..</c> segments and
    /// turn backslashes into slashes, hiding exactly what the splitter is meant to reject.
    /// </remarks>
    public static string FromUrlOrPath(string urlOrPath)
    {
        var text = urlOrPath.Trim();
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            var pathStart = text.IndexOf('/', scheme + 3);
            text = pathStart < 0 ? "/" : text[pathStart..];
        }

        var end = text.IndexOfAny(['?', '#']);
        if (end >= 0)
        {
            text = text[..end];
        }

        return Uri.UnescapeDataString(text);
    }
}
