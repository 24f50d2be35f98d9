using CdnProxy.Core;

namespace CdnProxy.Server.Jobs;

/// <summary>The webhook address of a job, checked when the job is submitted (every face the same way).</summary>
public static class JobCallback
{
    /// <summary>
    /// The absolute http(s) URL (no credentials) the job's webhook goes to, or null when none is given. Refused when
    /// the server has no webhook secret: nothing is ever sent unsigned.
    /// </summary>
    public static string? Parse(string? text, string field, JobsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.UserInfo.Length > 0)
        {
            throw CdnException.InvalidArgument($"{field} must be an absolute http(s) URL");
        }

        JobAddresses.ThrowIfWrittenAddressRefused(uri, field, options);
        return options.WebhookSecret.Length == 0
            ? throw new CdnException(CdnErrorKind.UnsupportedOperation, "webhooks need a webhook secret configured on the server (CdnProxy:Jobs:WebhookSecret)")
            : uri.AbsoluteUri;
    }
}
