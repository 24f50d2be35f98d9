namespace CdnProxy.Cli;

/// <summary>The text of an error as the command line shows it.</summary>
internal static class ErrorText
{
    /// <summary>
    /// The message the thrower wrote, without what .NET appends to an <see cref="ArgumentException"/>'s: the
    /// parameter's name (" (Parameter 'url')") and, when out of range, the value. Both name code the user never saw.
    /// </summary>
    public static string Of(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception.Message;
        if (exception is ArgumentException { ParamName: { Length: > 0 } parameter })
        {
            // The suffix is the runtime's text (English: the build sets InvariantGlobalization); the value follows it.
            var suffix = message.IndexOf($" (Parameter '{parameter}')", StringComparison.Ordinal);
            return suffix < 0 ? message : message[..suffix];
        }

        return message;
    }
}
