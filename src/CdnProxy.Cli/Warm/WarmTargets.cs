using System.Globalization;

namespace CdnProxy.Cli.Warm;

/// <summary>
/// The URLs a warm-up requests, from a list (one per line; blank lines and <c># comments</c> skipped), a sitemap
/// (<see cref="SitemapReader"/>), patterns × file paths, or a <c>srcset</c> spec (a pattern with
/// <c>{w}</c> × widths × file paths). Each is checked to be an absolute http(s) URL before anything is requested.
/// </summary>
public static class WarmTargets
{
    /// <summary>Each pattern applied to each file path: <c>{base}/{pattern}/{file}</c>.</summary>
    public static List<string> Product(Uri baseUrl, IEnumerable<string> patterns, IEnumerable<string> files)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        var root = baseUrl.AbsoluteUri.TrimEnd('/');
        var paths = files.ToList();
        return [.. patterns.SelectMany(pattern => paths.Select(file => $"{root}/{pattern.Trim('/')}/{file.TrimStart('/')}"))];
    }

    /// <summary>A <c>srcset</c>: the pattern with <c>{w}</c> replaced by every width, for every file.</summary>
    public static List<string> Srcset(Uri baseUrl, string template, IEnumerable<int> widths, IEnumerable<string> files)
    {
        ArgumentNullException.ThrowIfNull(template);
        if (!template.Contains("{w}", StringComparison.Ordinal))
        {
            throw new ArgumentException("--srcset needs a pattern with {w}, e.g. t.resize(w:{w})");
        }

        var patterns = widths.Select(w => w > 0 ? template.Replace("{w}", w.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            : throw new ArgumentException("widths are positive integers"));
        return Product(baseUrl, patterns, files);
    }

    /// <summary>Widths written <c>320,640,960</c>.</summary>
    public static List<int> Widths(string list)
    {
        ArgumentNullException.ThrowIfNull(list);
        return [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(w => int.TryParse(w, NumberStyles.None, CultureInfo.InvariantCulture, out var width) && width > 0
                ? width
                : throw new ArgumentException($"--widths must be whole numbers from 1 up, separated by commas, e.g. 320,640; got '{w}'"))];
    }

    /// <summary>Non-empty lines that are not <c>#</c> comments, trimmed.</summary>
    public static List<string> Lines(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return [.. text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))];
    }

    /// <summary>Whether <paramref name="url"/> can be requested: an absolute http(s) URL.</summary>
    public static bool IsRequestable(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
}
