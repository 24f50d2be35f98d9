using CdnProxy.Core;

namespace CdnProxy.Server.Jobs;

/// <summary>The callback URL a face's request names, checked the same way for every face.</summary>
public static class JobCallbacks
{
    /// <summary>
    /// An absolute http(s) URL without credentials (400), accepted only when a webhook secret is configured (422:
    /// nothing is ever sent unsigned). The SSRF policy is applied when it is called, like an input's.
    /// </summary>
    public static string Validate(string text, string field, JobsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.UserInfo.Length > 0)
        {
            throw CdnException.InvalidArgument($"{field} must be an absolute http(s) URL");
        }

        if (options.WebhookSecret.Length == 0)
        {
            throw new CdnException(CdnErrorKind.UnsupportedOperation, "callbacks need a webhook secret configured on the server (CdnProxy:Jobs:WebhookSecret)");
        }

        return uri.AbsoluteUri;
    }
}
