namespace CdnProxy.Cli;

/// <summary>
/// Checks an option that gives the start of every URL a command writes or requests (<c>--base-url</c>, <c>--base</c>,
/// <c>--server</c>): paths are appended to it, so it must be an absolute http(s) URL, with or without a path prefix
/// and a trailing slash, and nothing that would end up before or around those paths.
/// </summary>
internal static class BaseUrlOption
{
    /// <summary>Why <paramref name="option"/> cannot be <paramref name="text"/>, in the option's terms; null when it can.</summary>
    public static string? Refusal(string option, string text, string example)
    {
        ArgumentNullException.ThrowIfNull(text);
        var got = $"; got '{text}'";
        if (text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '\\')
            || !Uri.TryCreate(text, UriKind.Absolute, out var url)
            || url.Scheme is not ("http" or "https")
            || url.Host.Length == 0)
        {
            return $"{option} must be an absolute http or https URL, e.g. {example}" + got;
        }

        if (text.Contains('?', StringComparison.Ordinal) || text.Contains('#', StringComparison.Ordinal))
        {
            return $"{option} must not have a query or fragment ('?…' or '#…'): the paths are appended after it" + got;
        }

        // '@' in the authority (between "//" and the path): Uri's UserInfo is empty for a bare "https://@host".
        var authority = text[(text.IndexOf("//", StringComparison.Ordinal) + 2)..].Split('/')[0];
        return url.UserInfo.Length > 0 || authority.Contains('@', StringComparison.Ordinal)
            ? $"{option} must not carry a user name or password (user@host): it would be written into every URL" + got
            : null;
    }
}
