namespace CdnProxy.Urls.Paths;

/// <summary>
/// Splits an already percent-decoded request path of the shape <c>/{version}/{cloud}/{pattern}/{filePath}</c>
/// into a <see cref="CdnUrl"/>. This is a cheap structural check only; the pattern is parsed later.
/// </summary>
/// <remarks>
/// Zone slugs and worker paths (<c>wrkr</c>) are not recognised yet: a zone slug would be taken as the pattern.
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

    /// <summary>Splits <paramref name="path"/> into its version, cloud, pattern and file path.</summary>
    /// <param name="path">The percent-decoded request path, starting with <c>/</c>, without the query string.</param>
    /// <returns>The split URL; the pattern text is not parsed.</returns>
    /// <exception cref="CdnUrlException">With <see cref="UrlErrorCode.MalformedUrl"/> when the path does not have the expected shape.</exception>
    public static CdnUrl Split(string path)
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

        var cloud = NextSegment(path, ref position);
        ValidateCloud(cloud);

        var pattern = NextSegment(path, ref position);
        if (pattern.Length == 0)
        {
            throw Malformed("URL has no pattern segment after the cloud name.");
        }

        if (pattern is "." or "..")
        {
            throw Malformed("URL path must not contain '.' or '..' segments.");
        }

        if (position > path.Length)
        {
            throw Malformed("URL has no file path after the pattern segment.");
        }

        var filePath = path[position..];
        ValidateFilePath(filePath);

        return new CdnUrl(version, cloud, pattern, filePath);
    }

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

    private static void ValidateCloud(string cloud)
    {
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

    private static void ValidateFilePath(string filePath)
    {
        if (filePath.Length == 0)
        {
            throw Malformed("URL has no file path after the pattern segment.");
        }

        if (filePath.Length > MaxFilePathLength)
        {
            throw Malformed($"File path is longer than {MaxFilePathLength} characters.");
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
