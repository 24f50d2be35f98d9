using Microsoft.Net.Http.Headers;

namespace CdnProxy.Server.Streaming;

/// <summary>
/// RFC 9110 §13.1.5 <c>If-Range</c>: the client's <c>Range</c> may be served only when its validator names the version
/// being sent, so a resumed download never splices two versions of a file.
/// </summary>
public static class RangeCondition
{
    /// <summary>
    /// True when <paramref name="ifRange"/> is absent, is an entity tag that <paramref name="matchesStrongly"/>, or is a
    /// date equal to the file's Last-Modified in whole seconds. A value that does not parse names no version: false.
    /// </summary>
    public static bool Holds(string ifRange, Func<EntityTagHeaderValue, bool> matchesStrongly, long? modifiedUnixSeconds)
    {
        ArgumentNullException.ThrowIfNull(ifRange);
        ArgumentNullException.ThrowIfNull(matchesStrongly);
        if (ifRange.Length == 0)
        {
            return true;
        }

        if (!RangeConditionHeaderValue.TryParse(ifRange, out var condition))
        {
            return false;
        }

        if (condition.EntityTag is { } tag)
        {
            return matchesStrongly(tag);
        }

        return condition.LastModified is { } date && modifiedUnixSeconds is { } modified && date.ToUnixTimeSeconds() == modified;
    }
}
