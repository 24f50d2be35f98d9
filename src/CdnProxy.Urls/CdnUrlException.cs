namespace CdnProxy.Urls;

/// <summary>A URL that cannot be split or parsed. The message is short and safe to show to clients.</summary>
public sealed class CdnUrlException : Exception
{
    public CdnUrlException(UrlErrorCode code, string message, int? column = null, string? expected = null)
        : base(message)
    {
        Code = code;
        Column = column;
        Expected = expected;
    }

    public CdnUrlException()
    {
    }

    public CdnUrlException(string message)
        : base(message)
    {
    }

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
