namespace CdnProxy.Core;

/// <summary>
/// A request failure of a known kind. <see cref="Exception.Message"/> is the short public message;
/// internal details (libvips text, paths) go in <see cref="Exception.InnerException"/> and the logs only.
/// </summary>
public sealed class CdnException : Exception
{
    public CdnException(CdnErrorKind kind, string publicMessage, Exception? innerException = null, int? column = null)
        : base(publicMessage, innerException)
    {
        Kind = kind;
        Column = column;
    }

    public CdnException()
    {
    }

    public CdnException(string message)
        : base(message)
    {
    }

    public CdnException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CdnErrorKind Kind { get; } = CdnErrorKind.RenderFailed;

    /// <summary>1-based column in the pattern for syntax errors.</summary>
    public int? Column { get; }

    /// <summary>
    /// The cause was logged where it happened, with what only that place knows (which origin): the request's own log
    /// line then names the failure without repeating the cause's stack trace.
    /// </summary>
    public bool CauseLogged { get; init; }

    /// <summary>How long the client should wait before asking again (a <c>Retry-After</c>), when the failure says.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Shorthand for an <see cref="CdnErrorKind.InvalidArgument"/> failure.</summary>
    public static CdnException InvalidArgument(string message) => new(CdnErrorKind.InvalidArgument, message);
}
