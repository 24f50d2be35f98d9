using CdnProxy.Core;
using CdnProxy.Core.Origins;
using CdnProxy.Server.Origins.Local;
using CdnProxy.Server.Uploads;
using CdnProxy.Tests.Common;
using Microsoft.Extensions.DependencyInjection;

namespace CdnProxy.Server.Tests.Uploads;

/// <summary>
/// A staged upload's header is read back from the store (ranged reads of an S3 staging object): the store failing
/// then is the store's fault, not the file's, and nothing is stored.
/// </summary>
public sealed class UploadHeaderReadFailureTests : IDisposable
{
    private static readonly byte[] Flower = TestImages.Read(TestImages.Flower);
    private readonly string _folder = Directory.CreateTempSubdirectory("cdnproxy-header-read-").FullName;
    private readonly CdnProxyFactory _factory = new();

    public void Dispose()
    {
        _factory.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Theory]
    [InlineData(0)] // the first ranged read times out
    [InlineData(64)] // the sniffed head is read, the next read times out
    [InlineData(1024)] // a later read of the loader times out
    public async Task StoreTimingOutWhileTheHeaderIsRead_IsAStorageTimeout_AndNothingIsStored(int servedBytes)
    {
        var writer = new LocalOriginWriter(new LocalRoot(_folder), TimeProvider.System);
        var target = new UploadTarget("uploads", null, writer);
        var staged = new TimingOutStagedFile(Flower, servedBytes);
        var service = _factory.Services.GetRequiredService<UploadService>();

        var failure = await Assert.ThrowsAsync<CdnException>(() => service.FinishAsync(target, new UploadRequest { Name = "cat" }, staged, CancellationToken.None));

        Assert.Equal(CdnErrorKind.OriginTimeout, failure.Kind);
        Assert.True(staged.Disposed, "the staged object was kept");
        Assert.Null(await writer.FindAsync("cat.jpeg", CancellationToken.None));
    }

    /// <summary>Staged bytes whose reads past <paramref name="servedBytes"/> time out, as a store that stops answering.</summary>
    private sealed class TimingOutStagedFile(byte[] content, int servedBytes) : IStagedFile
    {
        public bool Disposed { get; private set; }

        public long Length => content.Length;

        public Stream OpenRead() => new TimingOutStream(content, servedBytes);

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }

    // MemoryStream.Read(Span) of a derived class comes here too.
    private sealed class TimingOutStream(byte[] content, int servedBytes) : MemoryStream(content, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) =>
            Position + count > servedBytes && Position < Length
                ? throw new CdnException(CdnErrorKind.OriginTimeout, "The store did not answer in time")
                : base.Read(buffer, offset, count);
    }
}
