using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CdnProxy.Tests.Common;

/// <summary>
/// Ports for servers a test starts as their own processes (Redis, PostgreSQL, a second listener) that must be named before
/// they bind. A port found with a listener on port 0 lies in the kernel's ephemeral range: once released, the next test to
/// listen on port 0 (an origin, a server) can be given it, and a client then talks to the wrong server. These are taken
/// below that range, where the kernel never hands out ports on its own, from a random start so that test processes
/// running side by side rarely meet.
/// </summary>
public static class LoopbackPorts
{
    private const int Lowest = 10_000;

    private static readonly (int First, int Count) Range = ChooseRange();

    private static int _taken = Random.Shared.Next(Range.Count);

    /// <summary>A loopback port nothing is bound to now, never the same twice in this process (until the range wraps).</summary>
    public static int Next()
    {
        for (var attempt = 0; attempt < 1_000; attempt++)
        {
            var port = Range.First + (int)((uint)Interlocked.Increment(ref _taken) % (uint)Range.Count);
            if (IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException("no free loopback port below the ephemeral range");
    }

    /// <summary>A socket bound without address reuse: it fails on any port another socket holds, listening or not.</summary>
    public static Socket ExclusiveSocket()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, false);
        return socket;
    }

    private static bool IsFree(int port)
    {
        using var probe = ExclusiveSocket();
        try
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static (int First, int Count) ChooseRange()
    {
        // "32768\t60999" on Debian; other systems move it, so it is read rather than assumed.
        var ephemeralLow = 32_768;
        var ephemeralHigh = 60_999;
        try
        {
            var parts = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            ephemeralLow = int.Parse(parts[0], CultureInfo.InvariantCulture);
            ephemeralHigh = int.Parse(parts[1], CultureInfo.InvariantCulture);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
        }

        var below = ephemeralLow - Lowest;
        var above = 65_535 - ephemeralHigh;
        return below >= above ? (Lowest, Math.Max(below, 1)) : (ephemeralHigh + 1, above);
    }
}
