using System.Net;
using System.Net.Sockets;

namespace CdnProxy.Tests.Common;

/// <summary>
/// A loopback port where every connection is refused, for as long as this lives. The port stays bound (never listening),
/// so no other test running at the same time can be given it: a port found free and then released can be handed to the
/// next listener on port 0 (a test's origin or server), and a test aiming at "nothing there" would reach that one.
/// </summary>
public sealed class RefusingPort : IDisposable
{
    private readonly Socket _socket = LoopbackPorts.ExclusiveSocket();

    public RefusingPort()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
    }

    public int Port { get; }

    /// <summary><c>127.0.0.1:port</c>.</summary>
    public string Endpoint => "127.0.0.1:" + Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose() => _socket.Dispose();
}
