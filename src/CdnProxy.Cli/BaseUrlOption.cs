using CdnProxy.Urls.Client;

namespace CdnProxy.Cli;

/// <summary>
/// Checks an option that gives the start of every URL a command writes or requests (<c>--base-url</c>, <c>--base</c>,
/// <c>--server</c>) with the client library's check (<see cref="PixelbinBaseUrl"/>), worded in the option's terms.
/// </summary>
internal static class BaseUrlOption
{
    /// <summary>Why <paramref name="option"/> cannot be <paramref name="text"/>, in the option's terms; null when it can.</summary>
    public static string? Refusal(string option, string text, string example)
    {
        ArgumentNullException.ThrowIfNull(text);
        var got = $"; got '{text}'";
        return PixelbinBaseUrl.Problem(text) switch
        {
            null => null,
            BaseUrlProblem.QueryOrFragment => $"{option} must not have a query or fragment ('?…' or '#…'): the paths are appended after it" + got,
            BaseUrlProblem.UserInfo => $"{option} must not carry a user name or password (user@host): it would be written into every URL" + got,
            _ => $"{option} must be an absolute http or https URL, e.g. {example}" + got,
        };
    }
}
