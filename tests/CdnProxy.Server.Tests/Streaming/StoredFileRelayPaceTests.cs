using System.Net;
using System.Net.Sockets;
using System.Text;
using CdnProxy.Server.Tests.Origins;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace CdnProxy.Server.Tests.Streaming;

/// <summary>
/// The stored-file relay over real sockets (Kestrel on both sides): the origin's limits count only the time spent
/// waiting on the origin, so a slow client of a fast origin gets the whole file however long it takes.
/// </summary>
public sealed class StoredFileRelayPaceTests
{
    [Fact]
    public async Task ASlowClientOfAFastOrigin_ReceivesTheWholeFile_PastStoredFileTimeoutSeconds()
    {
        // Far more than the buffers between the relay and the client hold (the server's socket send buffer alone may
        // grow to 4 MiB on Linux), so the relay waits on the client for most of the slow phase.
        var file = new byte[12 * 1024 * 1024];
        new Random(7).NextBytes(file);
        await using var origin = await LoopbackHttpOrigin.StartAsync(async context =>
        {
            context.Response.ContentLength = file.Length;
            await context.Response.Body.WriteAsync(file, context.RequestAborted);
        });
        using var factory = origin.WebCloud(("CdnProxy:Clouds:web:Origin:StoredFileTimeoutSeconds", "1"));
        var server = StartOnLoopback(factory);
        var started = TimeProvider.System.GetTimestamp();

        var (head, body) = await SlowGetAsync(server, "/v2/web/original/video.bin", slowFor: TimeSpan.FromSeconds(3));

        Assert.StartsWith("HTTP/1.1 200 ", head, StringComparison.Ordinal);
        Assert.Equal(file.Length, body.Length);
        Assert.True(file.AsSpan().SequenceEqual(body), "the body differs from the origin's file");
        // Only meaningful if the download outlasted the limit it must not be held to.
        Assert.True(TimeProvider.System.GetElapsedTime(started) > TimeSpan.FromSeconds(3), "the download was faster than the test needs");
        Assert.DoesNotContain(factory.Logs.Lines, line => line.StartsWith("7110 ", StringComparison.Ordinal));
    }

    /// <summary>Starts the server on Kestrel (a free loopback port) and returns its address.</summary>
    private static Uri StartOnLoopback(CdnProxyFactory factory)
    {
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return new Uri(addresses.First());
    }

    /// <summary>
    /// A client on a raw socket with a small receive buffer, reading 8 KiB at a time with a pause after each read
    /// (at most 400 KiB/s: slow, yet far above Kestrel's minimum response rate) for <paramref name="slowFor"/>, then
    /// at full speed. Returns the header block and the body up to the end of the connection (the request asks for
    /// <c>Connection: close</c>).
    /// </summary>
    private static async Task<(string Head, byte[] Body)> SlowGetAsync(Uri server, string path, TimeSpan slowFor)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 8192 };
        await socket.ConnectAsync(server.Host, server.Port);
        var request = $"GET {path} HTTP/1.1\r\nHost: {server.Authority}\r\nConnection: close\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None);
        using var received = new MemoryStream();
        var buffer = new byte[8192];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var started = TimeProvider.System.GetTimestamp();
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token)) > 0)
            {
                received.Write(buffer, 0, read);
                if (TimeProvider.System.GetElapsedTime(started) < slowFor)
                {
                    await Task.Delay(20, deadline.Token);
                }
            }
        }
        catch (SocketException e)
        {
            Assert.Fail($"the server aborted the response after {TimeProvider.System.GetElapsedTime(started).TotalSeconds:F1} s and {received.Length} bytes: {e.SocketErrorCode}");
        }

        var all = received.ToArray();
        var end = all.AsSpan().IndexOf("\r\n\r\n"u8);
        Assert.True(end > 0, "no complete header block");
        return (Encoding.ASCII.GetString(all, 0, end), all[(end + 4)..]);
    }
}
