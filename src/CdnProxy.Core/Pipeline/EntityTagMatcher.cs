namespace CdnProxy.Core.Pipeline;

/// <summary><c>If-None-Match</c> evaluation (RFC 9110 §13.1.2: weak comparison, <c>*</c> matches anything).</summary>
public static class EntityTagMatcher
{
    public static bool Matches(string? ifNoneMatch, string etag)
    {
        ArgumentNullException.ThrowIfNull(etag);
        if (string.IsNullOrWhiteSpace(ifNoneMatch))
        {
            return false;
        }

        foreach (var candidate in ifNoneMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var tag = candidate.StartsWith("W/", StringComparison.Ordinal) ? candidate[2..] : candidate;
            if (tag == "*" || string.Equals(tag, etag, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
