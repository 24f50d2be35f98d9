namespace CdnProxy.Urls.Paths;

/// <summary>
/// Splits an already percent-decoded request path (every Pixelbin shape: with or without zone, worker URLs,
/// custom domains) into a <see cref="CdnUrl"/>. This is a cheap structural check only; the pattern is parsed later.
/// </summary>
/// <remarks>
/// The caller must decode the path exactly once; a decoded <c>%2F</c> becomes a real segment separator here.
/// </remarks>
public static class CdnUrlSplitter
{
    /// <summary>The longest request path accepted, checked before anything else.</summary>
    public const int MaxPathLength = 4096;

    /// <summary>The longest file path (the part after the pattern segment) accepted.</summary>
    public const int MaxFilePathLength = 1024;

    /// <summary>The shortest cloud name accepted.</summary>
    public const int MinCloudLength = 3;

    /// <summary>The longest cloud name accepted.</summary>
    public const int MaxCloudLength = 64;

    /// <summary>The literal segment that introduces a worker path.</summary>
    public const string WorkerSegment = "wrkr";

    /// <summary>The length of a zone slug.</summary>
    public const int ZoneSlugLength = 6;

    /// <summary>
    /// Splits <paramref name="path"/> into version, cloud, optional zone, and either pattern and file path or a
    /// worker path. Shapes (spec §1.1): <c>/{v}/{cloud}[/{zone}]/{pattern}/{filePath}</c> and
    /// <c>/{v}/{cloud}[/{zone}]/wrkr/{workerPath}</c>; on a custom domain (<paramref name="customDomainCloud"/> set)
    /// the cloud segment is absent.
    /// </summary>
    /// <param name="path">The percent-decoded request path, starting with <c>/</c>, without the query string.</param>
    /// <param name="customDomainCloud">The cloud a custom domain maps to, or null on the CDN's own host names.</param>
    /// <returns>The split URL; the pattern text is not parsed and the zone is not checked against configuration.</returns>
    /// <exception cref="CdnUrlException">With <see cref="UrlErrorCode.MalformedUrl"/> when the path does not have the expected shape.</exception>
    /// <remarks>
    /// After the cloud, a segment of exactly six <c>[A-Za-z0-9_-]</c> characters followed by at least two more
    /// segments is a zone slug (as the Pixelbin SDKs decide); anything else is the pattern.
    /// </remarks>
    public static CdnUrl Split(string path, string? customDomainCloud = null)
    {
        ArgumentNullException.ThrowIfNull(path);

        if (path.Length > MaxPathLength)
        {
            throw Malformed($"URL path is longer than {MaxPathLength} characters.");
        }

        if (path.Length == 0 || path[0] != '/')
        {
            throw Malformed("URL path must start with '/'.");
        }

        RejectForbiddenCharacters(path);

        var position = 1;
        var version = NextSegment(path, ref position);
        if (version is not ("v1" or "v2"))
        {
            throw Malformed("URL must start with a version, /v1/ or /v2/.");
        }

        var cloud = customDomainCloud ?? NextSegment(path, ref position);
        ValidateCloud(cloud);

        string? zone = null;
        if (IsZoneSlug(PeekSegment(path, position)) && RemainingSegments(path, position) >= 3)
        {
            zone = NextSegment(path, ref position);
        }

        var pattern = NextSegment(path, ref position);
        if (pattern == WorkerSegment)
        {
            var workerPath = position > path.Length ? string.Empty : path[position..];
            if (workerPath.Length == 0)
            {
                throw Malformed("URL has no worker path after 'wrkr'.");
            }

            return new CdnUrl(version, cloud, string.Empty, string.Empty) { Zone = zone, WorkerPath = workerPath };
        }

        return WithPatternAndFile(new CdnUrl(version, cloud, string.Empty, string.Empty) { Zone = zone }, pattern, position > path.Length ? string.Empty : path[position..]);
    }

    /// <summary>
    /// Completes a worker URL with the <c>{pattern}/{filePath}</c> its translation rules produced, checking them
    /// exactly as for an ordinary URL.
    /// </summary>
    /// <param name="workerUrl">A URL returned by <see cref="Split"/> with a worker path.</param>
    /// <param name="translated">The translation: a pattern segment, a slash, and the file path.</param>
    /// <returns>The URL with pattern and file path set and the worker path kept for reference.</returns>
    public static CdnUrl WithTranslation(CdnUrl workerUrl, string translated)
    {
        ArgumentNullException.ThrowIfNull(workerUrl);
        ArgumentNullException.ThrowIfNull(translated);
        RejectForbiddenCharacters(translated);
        var slash = translated.IndexOf('/', StringComparison.Ordinal);
        return slash < 0
            ? throw Malformed("Worker translation has no file path.")
            : WithPatternAndFile(workerUrl, translated[..slash], translated[(slash + 1)..]);
    }

    /// <summary>True for a syntactically valid zone slug: exactly six of <c>[A-Za-z0-9_-]</c>.</summary>
    /// <param name="segment">The candidate segment.</param>
    /// <returns>Whether it has the shape of a zone slug.</returns>
    public static bool IsZoneSlug(string segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        if (segment.Length != ZoneSlugLength)
        {
            return false;
        }

        foreach (var c in segment)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static CdnUrl WithPatternAndFile(CdnUrl url, string pattern, string filePath)
    {
        if (pattern.Length == 0)
        {
            throw Malformed("URL has no pattern segment after the cloud name.");
        }

        if (pattern is "." or "..")
        {
            throw Malformed("URL path must not contain '.' or '..' segments.");
        }

        ValidateFilePath(filePath);
        return url with { PatternText = pattern, FilePath = filePath };
    }

    private static string PeekSegment(string path, int position)
    {
        var copy = position;
        return NextSegment(path, ref copy);
    }

    private static int RemainingSegments(string path, int position) =>
        position > path.Length ? 0 : path.AsSpan(position).Count('/') + 1;

    /// <summary>Returns the segment starting at <paramref name="position"/> and moves past the following '/'.</summary>
    /// <remarks>At the end of the path, returns an empty segment and leaves <paramref name="position"/> past the end.</remarks>
    private static string NextSegment(string path, ref int position)
    {
        if (position > path.Length)
        {
            return string.Empty;
        }

        var slash = path.IndexOf('/', position);
        var end = slash < 0 ? path.Length : slash;
        var segment = path[position..end];
        position = end + 1;
        return segment;
    }

    private static void RejectForbiddenCharacters(string path)
    {
        foreach (var c in path)
        {
            if (c == '\\')
            {
                throw Malformed("URL path must not contain a backslash.");
            }

            if (char.IsControl(c))
            {
                throw Malformed("URL path must not contain control characters.");
            }
        }
    }

    /// <summary>
    /// Checks a cloud name as the cloud segment is checked: <see cref="MinCloudLength"/> to <see cref="MaxCloudLength"/>
    /// of <c>[A-Za-z0-9_-]</c>.
    /// </summary>
    /// <param name="cloud">The cloud name.</param>
    /// <exception cref="CdnUrlException">With <see cref="UrlErrorCode.MalformedUrl"/> when the name is not acceptable.</exception>
    public static void ValidateCloud(string cloud)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        if (cloud.Length is < MinCloudLength or > MaxCloudLength)
        {
            throw Malformed($"Cloud name must be {MinCloudLength} to {MaxCloudLength} characters long.");
        }

        foreach (var c in cloud)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_'))
            {
                throw Malformed("Cloud name may contain only letters, digits, '-' and '_'.");
            }
        }
    }

    /// <summary>
    /// True when <paramref name="filePath"/> is longer than <see cref="MaxFilePathLength"/> bytes of UTF-8: bytes, not
    /// characters, because a file path is a storage key and S3 keys are limited in bytes.
    /// </summary>
    public static bool IsTooLong(string filePath) => System.Text.Encoding.UTF8.GetByteCount(filePath) > MaxFilePathLength;

    /// <summary>
    /// Checks a file path exactly as the path after the pattern segment is checked: not empty, at most
    /// <see cref="MaxFilePathLength"/> bytes of UTF-8, no empty, <c>.</c> or <c>..</c> segment. File ids inside patterns
    /// (<c>t.merge(i:...)</c>) go through the same check.
    /// </summary>
    /// <param name="filePath">The relative path.</param>
    /// <exception cref="CdnUrlException">With <see cref="UrlErrorCode.MalformedUrl"/> when the path is not acceptable.</exception>
    public static void ValidateFilePath(string filePath)
    {
        ArgumentNullException.ThrowIfNull(filePath);
        RejectForbiddenCharacters(filePath);
        if (filePath.Length == 0)
        {
            throw Malformed("URL has no file path after the pattern segment.");
        }

        if (IsTooLong(filePath))
        {
            throw Malformed($"File path is longer than {MaxFilePathLength} bytes (UTF-8).");
        }

        foreach (var segment in filePath.AsSpan().Split('/'))
        {
            var text = filePath.AsSpan()[segment];
            if (text.IsEmpty)
            {
                throw Malformed("File path must not contain empty segments.");
            }

            if (text is "." or "..")
            {
                throw Malformed("URL path must not contain '.' or '..' segments.");
            }
        }
    }

    private static CdnUrlException Malformed(string message) => new(UrlErrorCode.MalformedUrl, message);
}
