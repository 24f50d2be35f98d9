using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CdnProxy.Core;
using CdnProxy.Core.Assets;
using CdnProxy.Server.Origins.S3;
using Microsoft.Extensions.Logging.Abstractions;

namespace CdnProxy.Server.Tests.Origins;

/// <summary>A staged object's header is read on a render thread: a store that never answers must not hold it for the write client's minutes.</summary>
public sealed class S3RangeStreamTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)] // libvips reads it and turns the exception into a read error of its own
    public async Task Read_StoreNeverAnswers_FailsWithinTheReadTimeout_AsAStorageTimeout(bool throughTheHeaderReader)
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = new List<Socket>();
        var accepting = AcceptForeverAsync(silent, accepted);
        var options = new S3OriginOptions
        {
            ServiceUrl = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}",
            Bucket = "staging",
            ForcePathStyle = true,
            AccessKey = "key",
            SecretKey = "secret",
        };
        using var client = S3Clients.Create(options, S3Clients.WriteTimeout, maxErrorRetry: 2);
        using var stream = new S3RangeStream(client, "staging", "object", 1000, TimeSpan.FromMilliseconds(300), TimeProvider.System, NullLogger.Instance, "s3 staging");
        var clock = Stopwatch.StartNew();

        var read = Task.Run(() => throughTheHeaderReader ? ImageHeaderReader.Read(stream, stream.Length) : (object)stream.ReadByte());
        var failure = await Assert.ThrowsAsync<CdnException>(() => read.WaitAsync(TimeSpan.FromSeconds(20)));

        // The store's fault (a retryable 504), not the file's: never an unsupported or undecodable image.
        Assert.Equal(CdnErrorKind.OriginTimeout, failure.Kind);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"failed after {clock.Elapsed}");
        silent.Stop();
        await Assert.ThrowsAnyAsync<Exception>(() => accepting);
        accepted.ForEach(socket => socket.Dispose());
    }

    private static async Task AcceptForeverAsync(TcpListener listener, List<Socket> accepted)
    {
        while (true)
        {
            accepted.Add(await listener.AcceptSocketAsync());
        }
    }
}
