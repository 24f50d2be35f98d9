namespace CdnProxy.Core.Pipeline;

/// <summary>Entity-tag preconditions (RFC 9110 §13.1.1–2); <c>*</c> matches any current representation.</summary>
public static class EntityTagMatcher
{
    /// <summary><c>If-None-Match</c>: weak comparison; false when the header is absent.</summary>
    public static bool Matches(string? ifNoneMatch, string etag) => AnyMatches(ifNoneMatch, etag, weakAllowed: true);

    /// <summary>
    /// <c>If-Match</c>: strong comparison (a <c>W/</c> tag never matches); true when the header is absent, so the
    /// request may go on.
    /// </summary>
    public static bool IfMatchHolds(string? ifMatch, string etag) =>
        string.IsNullOrWhiteSpace(ifMatch) || AnyMatches(ifMatch, etag, weakAllowed: false);

    private static bool AnyMatches(string? header, string etag, bool weakAllowed)
    {
        ArgumentNullException.ThrowIfNull(etag);
        if (string.IsNullOrWhiteSpace(header))
        {
            return false;
        }

        foreach (var candidate in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var weak = candidate.StartsWith("W/", StringComparison.Ordinal);
            var tag = weak ? candidate[2..] : candidate;
            if (tag == "*" || ((weakAllowed || !weak) && string.Equals(tag, etag, StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }
}
