using System.Net;
using System.Net.Sockets;

namespace CdnProxy.Core.Pipeline;

/// <summary>The line of the render queue a client's renders wait in (<see cref="RenderGate"/>), by its network address.</summary>
public static class ClientLines
{
    /// <summary>
    /// An IPv4 address as it is; an IPv6 one by its /56 network. One subscriber may send from any address of what it is
    /// given, commonly a /56 for a home (RIPE-690) and a /64 or less for a phone or a cloud machine, out of the
    /// provider's or the VPC's /56: by /64, one home would be 256 clients, enough lines to fill the queue with one render
    /// each so that nobody holds more than a newcomer. Null for none (the server's own work shares one line).
    /// </summary>
    public static string? KeyOf(IPAddress? address)
    {
        if (address is null)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[7..].Clear();
        return new IPAddress(bytes) + "/56";
    }
}
