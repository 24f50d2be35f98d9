namespace CdnProxy.Urls.Client;

/// <summary>What kind of problem a <see cref="PixelbinUrlException"/> reports; mirrors the Pixelbin SDK's error classes.</summary>
public enum PixelbinErrorKind
{
    /// <summary>The URL does not have a Pixelbin shape or its pattern cannot be read (SDK <c>PDKInvalidUrlError</c>).</summary>
    InvalidUrl,

    /// <summary>A query parameter (<c>dpr</c>, <c>f_auto</c>) has an unusable value (SDK <c>PDKIllegalQueryParameterError</c>).</summary>
    IllegalQueryParameter,

    /// <summary>An object passed to <see cref="PixelbinUrls.ObjToUrl(PixelbinUrlObject)"/> or a builder is incomplete or inconsistent (SDK <c>PDKIllegalArgumentError</c>).</summary>
    IllegalArgument,
}

/// <summary>
/// Thrown by the Pixelbin-compatible client API; the messages are the SDK's own, and CdnProxy's own refusals name the
/// field (<c>key zone '…' is not one the server accepts: …</c>). An <see cref="ArgumentException"/>: every one of them
/// is about a URL or object the caller passed. <see cref="ArgumentException.ParamName"/> is left unset, so that the
/// message stays the SDK's text without .NET's " (Parameter '…')" suffix.
/// </summary>
public sealed class PixelbinUrlException : ArgumentException
{
    /// <summary>The SDK's message for a URL whose shape is not a Pixelbin URL.</summary>
    public const string InvalidUrlMessage = "Invalid pixelbin url. Please make sure the url is correct.";

    /// <summary>The SDK's message for a URL whose pattern segment cannot be read.</summary>
    public const string ProcessingErrorMessage = "Error Processing url. Please check the url is correct";

    /// <summary>The SDK's message for a <c>dpr</c> that is neither <c>auto</c> nor a number from 0.1 to 5.</summary>
    public const string DprMessage = "DPR value should be numeric and should be between 0.1 to 5.0";

    /// <summary>Creates an exception of the given kind.</summary>
    /// <param name="kind">What kind of problem this is.</param>
    /// <param name="message">The message, worded as the SDK words it.</param>
    public PixelbinUrlException(PixelbinErrorKind kind, string message)
        : base(message)
    {
        Kind = kind;
    }

    /// <summary>Creates an <see cref="PixelbinErrorKind.InvalidUrl"/> exception with the SDK's default message.</summary>
    public PixelbinUrlException()
        : base(InvalidUrlMessage)
    {
    }

    /// <summary>Creates an <see cref="PixelbinErrorKind.InvalidUrl"/> exception.</summary>
    /// <param name="message">The message.</param>
    public PixelbinUrlException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an <see cref="PixelbinErrorKind.InvalidUrl"/> exception wrapping another exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The underlying cause.</param>
    public PixelbinUrlException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>What kind of problem this is.</summary>
    public PixelbinErrorKind Kind { get; }
}
