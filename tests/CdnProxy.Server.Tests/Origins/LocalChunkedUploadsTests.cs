using CdnProxy.Core;
using CdnProxy.Core.Origins;
using CdnProxy.Server.Origins.Local;
using Microsoft.Extensions.Time.Testing;

namespace CdnProxy.Server.Tests.Origins;

/// <summary>
/// A session another call took (completed or aborted) while a part, an abort or a completion was on its way: each is
/// told the upload is gone (404), never a 500, and an abort never answers "aborted" for an upload being completed.
/// The calls hold the session as found before it was taken, which is what a racing request holds.
/// </summary>
public sealed class LocalChunkedUploadsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("cdnproxy-chunks-").FullName;
    private readonly LocalChunkedUploads _chunks;
    private readonly DateTimeOffset _expires;

    public LocalChunkedUploadsTests()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 8, 0, 0, TimeSpan.Zero));
        _chunks = new LocalChunkedUploads(new LocalRoot(_root), time);
        _expires = time.GetUtcNow().AddHours(1);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task APartForASessionAbortedMeanwhile_IsNotFound()
    {
        var upload = await _chunks.BeginAsync("{}", _expires, default);
        await _chunks.AbortAsync(upload, default);

        var e = await Assert.ThrowsAsync<CdnException>(() => _chunks.WritePartAsync(upload, 1, new MemoryStream([1, 2, 3]), 100, default));

        Assert.Equal(CdnErrorKind.AssetNotFound, e.Kind);
    }

    [Fact]
    public async Task AnAbortOfASessionACompletionTook_IsNotFound_AndTheCompletionKeepsItsFile()
    {
        var upload = await _chunks.BeginAsync("{}", _expires, default);
        await _chunks.WritePartAsync(upload, 1, new MemoryStream([1, 2, 3]), 100, default);
        var staged = await _chunks.AssembleAsync(upload, [new UploadedPart(1, 3)], 100, default);

        var e = await Assert.ThrowsAsync<CdnException>(() => _chunks.AbortAsync(upload, default));

        Assert.Equal(CdnErrorKind.AssetNotFound, e.Kind);
        Assert.Equal(3, staged.Length);
        await staged.DisposeAsync();
    }

    [Fact]
    public async Task ThePartsOfASessionACompletionTook_AreNotFound_NotEmpty()
    {
        var upload = await _chunks.BeginAsync("{}", _expires, default);
        await _chunks.WritePartAsync(upload, 1, new MemoryStream([1, 2, 3]), 100, default);
        await using var staged = await _chunks.AssembleAsync(upload, [new UploadedPart(1, 3)], 100, default);

        var e = await Assert.ThrowsAsync<CdnException>(() => _chunks.ListPartsAsync(upload, default));

        Assert.Equal(CdnErrorKind.AssetNotFound, e.Kind);
    }

    [Fact]
    public async Task ACompletionOfASessionAbortedMeanwhile_IsNotFound()
    {
        var upload = await _chunks.BeginAsync("{}", _expires, default);
        await _chunks.WritePartAsync(upload, 1, new MemoryStream([1, 2, 3]), 100, default);
        await _chunks.AbortAsync(upload, default);

        var e = await Assert.ThrowsAsync<CdnException>(() => _chunks.AssembleAsync(upload, [new UploadedPart(1, 3)], 100, default));

        Assert.Equal(CdnErrorKind.AssetNotFound, e.Kind);
    }
}
