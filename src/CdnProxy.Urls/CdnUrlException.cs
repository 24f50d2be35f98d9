namespace CdnProxy.Urls;

/// <summary>A URL that cannot be split or parsed. The message is short and safe to show to clients.</summary>
public sealed class CdnUrlException : Exception
{
    /// <summary>Creates an exception with a client-safe message and, for pattern errors, the failing column.</summary>
    /// <param name="code">The kind of problem.</param>
    /// <param name="message">A short message that is safe to show to clients.</param>
    /// <param name="column">1-based column inside the pattern segment, if known.</param>
    /// <param name="expected">What the grammar expected at <paramref name="column"/>, if known.</param>
    public CdnUrlException(UrlErrorCode code, string message, int? column = null, string? expected = null)
        : base(message)
    {
        Code = code;
        Column = column;
        Expected = expected;
    }

    /// <summary>Creates a <see cref="UrlErrorCode.MalformedUrl"/> exception with the default message.</summary>
    public CdnUrlException()
    {
    }

    /// <summary>Creates a <see cref="UrlErrorCode.MalformedUrl"/> exception with a client-safe message.</summary>
    /// <param name="message">A short message that is safe to show to clients.</param>
    public CdnUrlException(string message)
        : base(message)
    {
    }

    /// <summary>Creates a <see cref="UrlErrorCode.MalformedUrl"/> exception wrapping another exception.</summary>
    /// <param name="message">A short message that is safe to show to clients.</param>
    /// <param name="innerException">The underlying cause; never shown to clients.</param>
    public CdnUrlException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The kind of problem.</summary>
    public UrlErrorCode Code { get; }

    /// <summary>1-based column inside the pattern segment where parsing failed, for <see cref="UrlErrorCode.PatternSyntax"/>.</summary>
    public int? Column { get; }

    /// <summary>What the grammar expected at <see cref="Column"/>, if known.</summary>
    public string? Expected { get; }
}
