using Microsoft.Extensions.Options;

namespace CdnProxy.Server.Hosting;

/// <summary>
/// A value the configuration binder cannot convert (<c>abc</c> for a number, an unknown name for a choice) stops
/// start-up as every other bad setting does: <c>CdnProxy: invalid configuration: …</c> naming the setting, exit code
/// 2. The binder throws an <see cref="InvalidOperationException"/> for it, which ended the process with a stack trace.
/// </summary>
public static class UnreadableSetting
{
    /// <summary>Runs <paramref name="bind"/>, reporting a value it cannot convert as an invalid setting.</summary>
    /// <exception cref="OptionsValidationException">A value could not be converted to its setting's type.</exception>
    public static void Guard(Action bind)
    {
        ArgumentNullException.ThrowIfNull(bind);
        try
        {
            bind();
        }
        catch (InvalidOperationException unreadable) when (unreadable.InnerException is FormatException or ArgumentException or OverflowException)
        {
            // The binder's message names the setting, its type and the value; values that fail to convert are numbers,
            // flags, time spans and choices, never the secrets (strings).
            throw new OptionsValidationException(CdnProxyOptions.SectionName, typeof(CdnProxyOptions), [unreadable.Message]);
        }
    }
}
