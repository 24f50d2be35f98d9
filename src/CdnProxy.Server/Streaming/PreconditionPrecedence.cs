namespace CdnProxy.Server.Streaming;

/// <summary>
/// RFC 9110's precedence between a request's validators, applied before a stored file's sender or origin sees them:
/// <c>If-Unmodified-Since</c> is ignored when <c>If-Match</c> is present (§13.1.4), <c>If-Modified-Since</c> when
/// <c>If-None-Match</c> is (§13.1.3). ASP.NET Core's file sending evaluates all four and takes the strictest answer,
/// so a matching tag with an older date was refused 412 or sent whole instead of 304; an origin may do the same.
/// </summary>
public static class PreconditionPrecedence
{
    /// <summary>Removes the date preconditions that an entity-tag precondition of the same request overrides.</summary>
    public static void DropOverriddenDates(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (!string.IsNullOrWhiteSpace(headers.IfMatch))
        {
            headers.Remove("If-Unmodified-Since");
        }

        if (!string.IsNullOrWhiteSpace(headers.IfNoneMatch))
        {
            headers.Remove("If-Modified-Since");
        }
    }
}
