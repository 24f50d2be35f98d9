using System.Net;
using CdnProxy.Core;
using CdnProxy.Server.Origins.Http;

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

        // An address written in the URL is checked now, by the policy the delivery's connection is checked by (link-local
        // and metadata addresses are refused even where private networks are allowed); a host name is checked when it is
        // resolved, at each attempt.
        var policy = options.AllowPrivateNetworks ? OriginAddressPolicy.AnyUnicast : OriginAddressPolicy.PublicOnly;
        if ((uri.IsLoopback && !options.AllowPrivateNetworks)
            || (IPAddress.TryParse(uri.IdnHost, out var address) && !policy.Allows(new IPEndPoint(address, uri.Port))))
        {
            throw CdnException.InvalidArgument($"{field}: the address is not allowed (not a public one)");
        }

        return options.WebhookSecret.Length == 0
            ? throw new CdnException(CdnErrorKind.UnsupportedOperation, "webhooks need a webhook secret configured on the server (CdnProxy:Jobs:WebhookSecret)")
            : uri.AbsoluteUri;
    }
}
