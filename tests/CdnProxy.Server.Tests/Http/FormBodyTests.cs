using CdnProxy.Core;
using CdnProxy.Server.Http;
using Microsoft.AspNetCore.Http;

namespace CdnProxy.Server.Tests.Http;

public sealed class FormBodyTests
{
    [Fact]
    public async Task ABodyCutShort_IsTheClientsError()
    {
        var request = MultipartRequest(new IOException("Unexpected end of Stream, the content may have already been read by another component."));

        var e = await Assert.ThrowsAsync<CdnException>(() => FormBody.ReadAsync(request, CancellationToken.None));

        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public async Task AFailureOfTheDiskTheFormIsBufferedTo_StaysTheServers()
    {
        // What .NET raises on Linux when a write fails with ENOSPC: the OS error number as HResult.
        var request = MultipartRequest(new IOException("No space left on device", 28));

        var e = await Assert.ThrowsAsync<IOException>(() => FormBody.ReadAsync(request, CancellationToken.None));

        Assert.Equal(28, e.HResult);
    }

    private static HttpRequest MultipartRequest(IOException failure)
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = "multipart/form-data; boundary=xyz";
        context.Request.Body = new FailingStream(failure);
        return context.Request;
    }

    private sealed class FailingStream(IOException failure) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw failure;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => throw failure;

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
