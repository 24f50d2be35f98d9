using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CdnProxy.Urls.Grammar;
using CdnProxy.Urls.Paths;

namespace CdnProxy.Urls.Client;

/// <summary>
/// The cloud name, file path, worker path and argument values as the URL builders write them, so that the server finds
/// exactly that cloud and file and reads back exactly those values.
/// A file path is URL path text, as <see cref="PixelbinUrls.UrlToObj"/> returns it: percent escapes are kept
/// (<c>a%20b.jpg</c> is the file <c>a b.jpg</c>), and what would end or change the path is escaped: <c>?</c> (it starts
/// the query), <c>#</c> (the fragment) and a <c>%</c> that starts no escape. Everything else is written as given, so
/// ordinary paths are unchanged; clients encode spaces and non-ASCII letters as the server decodes them.
/// </summary>
internal static partial class PixelbinPathText
{
    /// <summary>A worker URL's path up to its worker path, for the server's splitter to check one.</summary>
    private const string WorkerUrlPrefix = "/v2/any/" + CdnUrlSplitter.WorkerSegment + "/";

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
            throw Refused("cloudName", cloudName, exception.Message);
        }
    }

    /// <summary><paramref name="baseUrl"/> without its trailing slashes, when every URL built on it stays on its host.</summary>
    /// <exception cref="PixelbinUrlException">When it is not an absolute http(s) URL, or has a query, a fragment or a
    /// user name: the path appended after it would then be read as query or fragment text, or as another host's.</exception>
    public static string BaseUrl(string baseUrl) => PixelbinBaseUrl.Problem(baseUrl) switch
    {
        null => baseUrl.TrimEnd('/'),
        BaseUrlProblem.QueryOrFragment => throw Refused("baseUrl", baseUrl, "a query or fragment ('?…' or '#…') would swallow the path written after it"),
        BaseUrlProblem.UserInfo => throw Refused("baseUrl", baseUrl, "a user name or password (user@host) would be written into the URL"),
        _ => throw Refused("baseUrl", baseUrl, "it must be an absolute http or https URL, e.g. https://cdn.example.com (a path prefix is allowed)"),
    };

    /// <summary>
    /// The zone segment for <paramref name="zone"/>: none for null or empty, else the zone itself when it is a slug the
    /// server reads as one.
    /// </summary>
    /// <exception cref="PixelbinUrlException">When it is not exactly six of <c>[A-Za-z0-9_-]</c>: the server would read
    /// it as the pattern (refusing the URL), or, dropped as the SDK drops it, the URL would name the default zone's file.</exception>
    public static string Zone(string? zone) =>
        string.IsNullOrEmpty(zone) ? ""
        : CdnUrlSplitter.IsZoneSlug(zone) ? zone
        : throw Refused("zone", zone, $"a zone slug is exactly {CdnUrlSplitter.ZoneSlugLength} letters, digits, '-' or '_', e.g. z-slug");

    /// <summary><paramref name="filePath"/> escaped as the class says, when the server accepts the file it names.</summary>
    /// <exception cref="PixelbinUrlException">When it does not: empty, <c>.</c> or <c>..</c> segments (<c>%2e</c> too), a
    /// backslash, or a <c>%2F</c>, which the server keeps as the text <c>%2F</c> instead of reading it as a folder's slash.</exception>
    public static string FilePath(string filePath)
    {
        var escaped = Escape(filePath);
        if (EncodedSlash().IsMatch(escaped))
        {
            throw Refused(
                "filePath",
                filePath,
                "the server keeps %2F as the text %2F, so it would name no folder; write / for a folder, or %252F for a name that contains the text %2F");
        }

        try
        {
            CdnUrlSplitter.ValidateFilePath(DecodeAsServer(escaped));
            return escaped;
        }
        catch (CdnUrlException exception)
        {
            throw Refused("filePath", filePath, exception.Message);
        }
    }

    /// <summary>
    /// <paramref name="workerPath"/> with its path escaped as a file path is (the server hands it to the zone's rules
    /// decoded once, with <c>%2F</c> kept as text, as it does for any path). A <c>?</c> starts the worker's own query
    /// (imgix-style options), which the server hands to the rules after the path: it is kept, with <c>#</c> and a stray
    /// <c>%</c> escaped in it.
    /// </summary>
    /// <exception cref="PixelbinUrlException">When the path (before any <c>?</c>) is empty, has a <c>.</c> or <c>..</c> segment (clients resolve those,
    /// which would take the URL out of the worker path), a backslash or a control character (the server refuses both).</exception>
    public static string WorkerPath(string workerPath)
    {
        var queryStart = workerPath.IndexOf('?', StringComparison.Ordinal);
        var path = queryStart < 0 ? workerPath : workerPath[..queryStart];
        var escaped = Escape(path);
        var served = DecodeAsServer(escaped);
        if (served.Split('/').Any(segment => segment is "." or ".."))
        {
            throw Refused("workerPath", workerPath, "a '.' or '..' segment would be resolved by the client, taking the URL out of the worker path");
        }

        if (served.Length == 0)
        {
            // The SDK writes …/wrkr (spec §6.4) or …/wrkr/?query; the server has no worker path to translate there.
            throw Refused("workerPath", workerPath, "the server needs a path after wrkr/ to translate, e.g. images/logo.png");
        }

        try
        {
            CdnUrlSplitter.Split(WorkerUrlPrefix + served);
        }
        catch (CdnUrlException exception)
        {
            throw Refused("workerPath", workerPath, exception.Message);
        }

        return queryStart < 0 ? escaped : escaped + "?" + Escape(workerPath[(queryStart + 1)..], inQuery: true);
    }

    /// <summary>
    /// An argument value as the pattern writes it. Like a file path it is URL path text, escaped the same way, and the
    /// server decodes it once before its grammar reads it: what it decodes to must be a value the grammar takes.
    /// </summary>
    /// <exception cref="PixelbinUrlException">When the server could not read the value back: a character that delimits
    /// the pattern or the path, a space, a control or non-ASCII character (decoded from an escape too), or <c>%2F</c>.</exception>
    public static string ArgumentValue(string operation, string key, string value)
    {
        var escaped = Escape(value);

        // The server keeps %2F as the text %2F, so the value it read would not be the one meant: '/', which none may hold.
        if ((EncodedSlash().IsMatch(escaped) ? '/' : FirstNotInValue(DecodeAsServer(escaped))) is { } refused)
        {
            throw new PixelbinUrlException(
                PixelbinErrorKind.IllegalArgument,
                $"value '{value}' of key '{key}' in '{operation}' cannot be written: {WhyNotInValue(refused)}");
        }

        return escaped;
    }

    private static char? FirstNotInValue(string served)
    {
        foreach (var c in served)
        {
            if (!PatternGrammar.IsValueCharacter(c))
            {
                return c;
            }
        }

        return null;
    }

    private static string WhyNotInValue(char c) => c switch
    {
        '/' => "'/' (or %2F) would end the pattern's path segment, and argument values have no escape for it",
        '(' or ')' or ',' or ':' or '~' => $"'{c}' delimits the pattern's calls and arguments, and argument values have no escape for it",
        ' ' => "argument values cannot contain a space",
        _ => string.Create(CultureInfo.InvariantCulture, $"argument values are visible ASCII characters, not U+{(int)c:X4}"),
    };

    /// <summary><c>#</c>, a <c>%</c> that starts no escape and, in a path, <c>?</c>, escaped; everything else as given.</summary>
    private static string Escape(string path, bool inQuery = false)
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
                '?' when !inQuery => "%3F",
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
    internal static string DecodeAsServer(string path) =>
        string.Join("%2F", EncodedSlash().Split(path).Select(Uri.UnescapeDataString));

    /// <summary>
    /// Refuses a URL whose path (<paramref name="segments"/>, from the version on, without the query) the server would
    /// find longer than it reads (<see cref="CdnUrlSplitter.MaxPathLength"/>, counted after decoding, as it counts).
    /// </summary>
    public static void CheckServedLength(IEnumerable<string> segments)
    {
        var path = "/" + string.Join('/', segments.Where(segment => segment.Length > 0));
        var query = path.IndexOf('?', StringComparison.Ordinal);
        var served = DecodeAsServer(query < 0 ? path : path[..query]);
        if (served.Length > CdnUrlSplitter.MaxPathLength)
        {
            throw new PixelbinUrlException(
                PixelbinErrorKind.IllegalArgument,
                string.Create(CultureInfo.InvariantCulture, $"the URL's path would be {served.Length} characters; the server reads at most {CdnUrlSplitter.MaxPathLength}"));
        }
    }

    private static PixelbinUrlException Refused(string key, string value, string reason) =>
        new(PixelbinErrorKind.IllegalArgument, $"key {key} '{value}' is not one the server accepts: {reason}");

    [GeneratedRegex("%2F", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EncodedSlash();
}
