namespace CdnProxy.Urls.Client.Uploads;

/// <summary>The server refused an upload call, or a part failed after every retry.</summary>
public sealed class UploadException : Exception
{
    /// <summary>Creates one.</summary>
    public UploadException()
    {
    }

    /// <summary>Creates one with a message.</summary>
    /// <param name="message">What failed.</param>
    public UploadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates one with a message and cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">Why.</param>
    public UploadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates one for an HTTP answer.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="body">The answer's body (the server's JSON error).</param>
    public UploadException(int status, string body)
        : base($"The server answered {status}: {body}")
    {
        Status = status;
        Body = body;
    }

    /// <summary>The HTTP status, when the server answered.</summary>
    public int? Status { get; }

    /// <summary>The answer's body, when the server answered.</summary>
    public string? Body { get; }
}
