using System.Net;
using System.Net.Sockets;

namespace CdnProxy.Core.Pipeline;

/// <summary>The line of the render queue a client's renders wait in (<see cref="RenderGate"/>), by its network address.</summary>
public static class ClientLines
{
    /// <summary>
    /// An IPv4 address as it is; an IPv6 one by its /64 network, since one subscriber is given a whole /64 and may send
    /// from any address in it. Null for none (the server's own work shares one line).
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
        bytes[8..].Clear();
        return new IPAddress(bytes) + "/64";
    }
}
