using System.Globalization;
using System.Text;

namespace CdnProxy.Urls.Security;

/// <summary>
/// A small WHATWG URL parser for absolute <c>http</c>/<c>https</c> URLs, enough to reproduce what the JS SDK sees as
/// <c>url.pathname + url.search</c> and what <c>url.href</c> prints. It percent-encodes the path, query and fragment
/// with the standard's encode sets (UTF-8, uppercase hex, existing <c>%XX</c> kept), treats <c>\</c> as <c>/</c>,
/// resolves <c>.</c>/<c>..</c> segments (including <c>%2e</c> forms), lowercases scheme and host and drops the default port.
/// </summary>
/// <remarks>
/// Not implemented: IDNA for non-ASCII hosts (rejected), IPv4 number normalisation, userinfo re-encoding, non-special
/// schemes. <c>^</c> is left unescaped in paths, as Node 20 does.
/// </remarks>
internal sealed record WhatwgUrl(string Scheme, string Authority, string Pathname, string? Query, string? Fragment)
{
    /// <summary><c>url.search</c>: <c>?</c> + query, or empty when the query is absent or empty.</summary>
    public string Search => string.IsNullOrEmpty(Query) ? string.Empty : "?" + Query;

    /// <summary>Parses an absolute http(s) URL.</summary>
    /// <exception cref="ArgumentException">When the text is not an absolute http(s) URL this parser handles.</exception>
    public static WhatwgUrl Parse(string input)
    {
        var text = input.Trim(TrimmedChars).Replace("\t", string.Empty, StringComparison.Ordinal)
            .Replace("\n", string.Empty, StringComparison.Ordinal).Replace("\r", string.Empty, StringComparison.Ordinal);

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !IsScheme(text.AsSpan(0, colon)))
        {
            throw new ArgumentException("Invalid URL: an absolute URL with a scheme is required.", nameof(input));
        }

        var scheme = text[..colon].ToLowerInvariant();
        var defaultPort = scheme switch
        {
            "http" => "80",
            "https" => "443",
            _ => throw new ArgumentException($"Invalid URL: scheme '{scheme}' is not supported (http or https only).", nameof(input)),
        };

        var position = colon + 1;
        while (position < text.Length && text[position] is '/' or '\\')
        {
            position++;
        }

        var authorityEnd = text.IndexOfAny(['/', '\\', '?', '#'], position);
        if (authorityEnd < 0)
        {
            authorityEnd = text.Length;
        }

        var authority = ParseAuthority(text[position..authorityEnd], defaultPort);

        var rest = text[authorityEnd..];
        string? fragment = null;
        var hash = rest.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
        {
            fragment = Encode(rest[(hash + 1)..], IsFragmentEscaped);
            rest = rest[..hash];
        }

        string? query = null;
        var question = rest.IndexOf('?', StringComparison.Ordinal);
        if (question >= 0)
        {
            query = Encode(rest[(question + 1)..], IsSpecialQueryEscaped);
            rest = rest[..question];
        }

        return new WhatwgUrl(scheme, authority, ParsePath(rest), query, fragment);
    }

    /// <summary><c>url.href</c> with the query replaced by <paramref name="query"/> (no <c>?</c>; empty means none).</summary>
    public string ToHref(string query)
    {
        var builder = new StringBuilder(Scheme).Append("://").Append(Authority).Append(Pathname);
        if (query.Length > 0)
        {
            builder.Append('?').Append(query);
        }

        if (Fragment is not null)
        {
            builder.Append('#').Append(Fragment);
        }

        return builder.ToString();
    }

    private static readonly char[] TrimmedChars = [.. Enumerable.Range(0, 0x21).Select(i => (char)i)];

    private static bool IsScheme(ReadOnlySpan<char> scheme)
    {
        if (!char.IsAsciiLetter(scheme[0]))
        {
            return false;
        }

        foreach (var c in scheme)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static string ParseAuthority(string authority, string defaultPort)
    {
        var at = authority.LastIndexOf('@');
        var userInfo = at < 0 ? null : authority[..at];
        var hostAndPort = at < 0 ? authority : authority[(at + 1)..];

        var portColon = hostAndPort.LastIndexOf(':');
        if (portColon >= 0 && hostAndPort.LastIndexOf(']') > portColon)
        {
            portColon = -1;
        }

        var host = portColon < 0 ? hostAndPort : hostAndPort[..portColon];
        var port = portColon < 0 ? string.Empty : hostAndPort[(portColon + 1)..];
        if (host.Length == 0)
        {
            throw new ArgumentException("Invalid URL: the host is empty.", nameof(authority));
        }

        if (!Ascii.IsValid(host))
        {
            throw new ArgumentException("Invalid URL: non-ASCII host names (IDNA) are not supported.", nameof(authority));
        }

        if (host.IndexOfAny([' ', '#', '%', '/', ':', '<', '>', '?', '@', '[', '\\', ']', '^', '|']) >= 0 && host[0] != '[')
        {
            throw new ArgumentException("Invalid URL: the host contains a forbidden character.", nameof(authority));
        }

        var builder = new StringBuilder();
        if (!string.IsNullOrEmpty(userInfo))
        {
            builder.Append(userInfo).Append('@');
        }

        builder.Append(host.ToLowerInvariant());
        if (port.Length > 0)
        {
            if (!port.All(char.IsAsciiDigit) || !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > 65535)
            {
                throw new ArgumentException("Invalid URL: the port is not a number from 0 to 65535.", nameof(authority));
            }

            var normalised = number.ToString(CultureInfo.InvariantCulture);
            if (normalised != defaultPort)
            {
                builder.Append(':').Append(normalised);
            }
        }

        return builder.ToString();
    }

    private static string ParsePath(string path)
    {
        if (path.Length > 0 && path[0] is '/' or '\\')
        {
            path = path[1..];
        }

        var segments = path.Split('/', '\\');
        var output = new List<string>(segments.Length);
        for (var i = 0; i < segments.Length; i++)
        {
            var isLast = i == segments.Length - 1;
            var segment = Encode(segments[i], IsPathEscaped);
            if (IsDoubleDot(segment))
            {
                if (output.Count > 0)
                {
                    output.RemoveAt(output.Count - 1);
                }

                if (isLast)
                {
                    output.Add(string.Empty);
                }
            }
            else if (IsSingleDot(segment))
            {
                if (isLast)
                {
                    output.Add(string.Empty);
                }
            }
            else
            {
                output.Add(segment);
            }
        }

        return "/" + string.Join('/', output);
    }

    private static bool IsSingleDot(string segment) =>
        segment == "." || segment.Equals("%2e", StringComparison.OrdinalIgnoreCase);

    private static bool IsDoubleDot(string segment) =>
        segment == ".." || segment.Equals(".%2e", StringComparison.OrdinalIgnoreCase)
        || segment.Equals("%2e.", StringComparison.OrdinalIgnoreCase) || segment.Equals("%2e%2e", StringComparison.OrdinalIgnoreCase);

    private static string Encode(string value, Func<byte, bool> mustEscape)
    {
        var builder = new StringBuilder(value.Length);
        PercentEncoding.AppendUtf8Escaped(builder, value, mustEscape);
        return builder.ToString();
    }

    // WHATWG encode sets, applied to UTF-8 bytes: the C0 control set is 0x00–0x1F and everything above 0x7E.
    private static bool IsC0ControlEscaped(byte b) => b < 0x20 || b > 0x7E;

    private static bool IsFragmentEscaped(byte b) => IsC0ControlEscaped(b) || b is (byte)' ' or (byte)'"' or (byte)'<' or (byte)'>' or (byte)'`';

    private static bool IsQueryEscaped(byte b) => IsC0ControlEscaped(b) || b is (byte)' ' or (byte)'"' or (byte)'#' or (byte)'<' or (byte)'>';

    private static bool IsSpecialQueryEscaped(byte b) => IsQueryEscaped(b) || b == (byte)'\'';

    private static bool IsPathEscaped(byte b) => IsQueryEscaped(b) || b is (byte)'?' or (byte)'`' or (byte)'{' or (byte)'}';
}
