using System.Net;
using System.Net.Sockets;

namespace CdnProxy.Server.Origins.Http;

/// <summary>Decides, at connect time, whether an HTTP origin may be reached at a resolved address.</summary>
public interface IOriginAddressPolicy
{
    bool Allows(IPEndPoint endpoint);
}

/// <summary>
/// The two built-in policies. Addresses are classified after IPv4-mapped, IPv4-compatible, 6to4 and NAT64 forms are
/// unwrapped, so <c>::ffff:127.0.0.1</c> is judged as <c>127.0.0.1</c>.
/// </summary>
public sealed class OriginAddressPolicy : IOriginAddressPolicy
{
    // Never a unicast origin, whatever the configuration: "this host", multicast, reserved and broadcast.
    private static readonly IPNetwork[] NeverRoutable =
    [
        IPNetwork.Parse("0.0.0.0/8"),
        IPNetwork.Parse("224.0.0.0/4"),
        IPNetwork.Parse("240.0.0.0/4"),
        IPNetwork.Parse("::/128"),
        IPNetwork.Parse("ff00::/8"),
    ];

    // Refused even when private networks are allowed: link-local addresses are where clouds answer instance
    // metadata and credentials (169.254.169.254, fd00:ec2::254, Alibaba's 100.100.100.200), and no image origin
    // lives there. Allowing private networks is for reaching an internal origin, not the host's identity.
    private static readonly IPNetwork[] MetadataOrLinkLocal =
    [
        IPNetwork.Parse("169.254.0.0/16"),
        IPNetwork.Parse("fe80::/10"),
        IPNetwork.Parse("fd00:ec2::254/128"),
        IPNetwork.Parse("100.100.100.200/32"),
    ];

    // Internal, special-purpose or documentation ranges (IANA special-purpose registries).
    private static readonly IPNetwork[] NonPublic =
    [
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"),
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.0.0.0/24"),
        IPNetwork.Parse("192.0.2.0/24"),
        IPNetwork.Parse("192.88.99.0/24"),
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"),
        IPNetwork.Parse("198.51.100.0/24"),
        IPNetwork.Parse("203.0.113.0/24"),
        IPNetwork.Parse("::1/128"),
        IPNetwork.Parse("64:ff9b:1::/48"),
        IPNetwork.Parse("100::/64"),
        IPNetwork.Parse("2001::/32"),
        IPNetwork.Parse("2001:db8::/32"),
        IPNetwork.Parse("fc00::/7"),
        IPNetwork.Parse("fe80::/10"),
        IPNetwork.Parse("fec0::/10"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");
    private static readonly IPNetwork Ipv4Compatible = IPNetwork.Parse("::/96");

    private readonly bool _allowPrivate;

    private OriginAddressPolicy(bool allowPrivate)
    {
        _allowPrivate = allowPrivate;
    }

    /// <summary>Public unicast addresses only: the default for every HTTP origin.</summary>
    public static OriginAddressPolicy PublicOnly { get; } = new(allowPrivate: false);

    /// <summary>
    /// Any unicast address, private ones included, except link-local and cloud metadata addresses: for origins with
    /// <c>AllowPrivateNetworks</c>.
    /// </summary>
    public static OriginAddressPolicy AnyUnicast { get; } = new(allowPrivate: true);

    public bool Allows(IPEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return _allowPrivate ? !IsNeverRoutable(endpoint.Address) && !IsMetadataOrLinkLocal(endpoint.Address) : IsPublic(endpoint.Address);
    }

    private static bool IsMetadataOrLinkLocal(IPAddress address)
    {
        var effective = Unwrap(address);
        return MetadataOrLinkLocal.Any(n => n.Contains(effective));
    }

    /// <summary>True for a public unicast address.</summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var effective = Unwrap(address);
        return !IsNeverRoutable(effective) && !NonPublic.Any(n => n.Contains(effective))
            && !effective.Equals(IPAddress.Broadcast);
    }

    private static bool IsNeverRoutable(IPAddress address)
    {
        var effective = Unwrap(address);
        return NeverRoutable.Any(n => n.Contains(effective));
    }

    /// <summary>The IPv4 address an IPv6 address embeds (mapped, compatible, 6to4, NAT64), or the address itself.</summary>
    private static IPAddress Unwrap(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        if (SixToFour.Contains(address))
        {
            return new IPAddress(bytes.Slice(2, 4));
        }

        // ::/128 and ::1 are judged as IPv6 (unspecified, loopback); other ::a.b.c.d carry an IPv4 address.
        if ((Nat64.Contains(address) || Ipv4Compatible.Contains(address)) && !address.Equals(IPAddress.IPv6None)
            && !address.Equals(IPAddress.IPv6Loopback))
        {
            return new IPAddress(bytes.Slice(12, 4));
        }

        return address;
    }
}
