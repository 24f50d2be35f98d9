namespace CdnProxy.Urls.Client.Predictions;

/// <summary>The server refused a predictions call (its JSON error is in <see cref="Body"/>).</summary>
public sealed class PredictionException : Exception
{
    /// <summary>Creates one.</summary>
    public PredictionException()
    {
    }

    /// <summary>Creates one with a message.</summary>
    /// <param name="message">What failed.</param>
    public PredictionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates one with a message and cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">Why.</param>
    public PredictionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates one for an HTTP answer.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="body">The answer's body (the server's JSON error).</param>
    public PredictionException(int status, string body)
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
