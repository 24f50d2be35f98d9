using System.Text;
using System.Text.RegularExpressions;
using CdnProxy.Urls.Paths;

namespace CdnProxy.Urls.Client;

/// <summary>
/// The cloud name and file path as the URL builders write them, so that the server finds exactly that cloud and file.
/// A file path is URL path text, as <see cref="PixelbinUrls.UrlToObj"/> returns it: percent escapes are kept
/// (<c>a%20b.jpg</c> is the file <c>a b.jpg</c>), and what would end or change the path is escaped: <c>?</c> (it starts
/// the query), <c>#</c> (the fragment) and a <c>%</c> that starts no escape. Everything else is written as given, so
/// ordinary paths are unchanged; clients encode spaces and non-ASCII letters as the server decodes them.
/// </summary>
internal static partial class PixelbinPathText
{
    /// <summary><paramref name="cloudName"/> when the server accepts it as a cloud segment.</summary>
    /// <exception cref="PixelbinUrlException">When it does not: a '/' or space in it would name another path.</exception>
    public static string CloudName(string cloudName)
    {
        try
        {
            CdnUrlSplitter.ValidateCloud(cloudName);
            return cloudName;
        }
        catch (CdnUrlException exception)
        {
            throw Refused("cloudName", cloudName, exception);
        }
    }

    /// <summary><paramref name="filePath"/> escaped as the class says, when the server accepts the file it names.</summary>
    /// <exception cref="PixelbinUrlException">When it does not: empty, <c>.</c> or <c>..</c> segments (<c>%2e</c> too), a backslash…</exception>
    public static string FilePath(string filePath)
    {
        var escaped = Escape(filePath);
        try
        {
            CdnUrlSplitter.ValidateFilePath(DecodeAsServer(escaped));
            return escaped;
        }
        catch (CdnUrlException exception)
        {
            throw Refused("filePath", filePath, exception);
        }
    }

    private static string Escape(string path)
    {
        if (path.AsSpan().IndexOfAny('%', '?', '#') < 0)
        {
            return path;
        }

        var escaped = new StringBuilder(path.Length + 8);
        for (var i = 0; i < path.Length; i++)
        {
            escaped.Append(path[i] switch
            {
                '%' when i + 2 < path.Length && char.IsAsciiHexDigit(path[i + 1]) && char.IsAsciiHexDigit(path[i + 2]) => "%",
                '%' => "%25",
                '?' => "%3F",
                '#' => "%23",
                var c => c.ToString(),
            });
        }

        return escaped.ToString();
    }

    /// <summary>
    /// The path as the server's splitter gets it: ASP.NET Core decodes every escape once, except <c>%2F</c>, which stays
    /// text so that it cannot add a segment.
    /// </summary>
    private static string DecodeAsServer(string path) =>
        string.Join("%2F", EncodedSlash().Split(path).Select(Uri.UnescapeDataString));

    private static PixelbinUrlException Refused(string key, string value, CdnUrlException reason) =>
        new(PixelbinErrorKind.IllegalArgument, $"key {key} '{value}' is not one the server accepts: {reason.Message}");

    [GeneratedRegex("%2F", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EncodedSlash();
}
