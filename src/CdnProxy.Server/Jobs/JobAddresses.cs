using System.Net;
using CdnProxy.Core;
using CdnProxy.Server.Origins.Http;

namespace CdnProxy.Server.Jobs;

/// <summary>
/// The addresses a job may reach (its http(s) inputs, its webhook), checked when the job is submitted where the URL
/// writes an address: by the policy its connection is checked by later (<c>Jobs:AllowPrivateNetworks</c>; link-local
/// and metadata addresses refused even where private networks are allowed). A host name is checked when it is resolved,
/// at each connection, since what it resolves to may change.
/// </summary>
public static class JobAddresses
{
    /// <summary>Throws 400 naming <paramref name="field"/> when <paramref name="uri"/> writes an address the job may not reach.</summary>
    public static void ThrowIfWrittenAddressRefused(Uri uri, string field, JobsOptions options)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(options);
        var policy = options.AllowPrivateNetworks ? OriginAddressPolicy.AnyUnicast : OriginAddressPolicy.PublicOnly;
        if ((uri.IsLoopback && !options.AllowPrivateNetworks)
            || (IPAddress.TryParse(uri.IdnHost, out var address) && !policy.Allows(new IPEndPoint(address, uri.Port))))
        {
            throw CdnException.InvalidArgument($"{field}: the address is not allowed (not a public one)");
        }
    }
}
