using System.Runtime.ExceptionServices;

namespace CdnProxy.Core.Assets;

/// <summary>
/// A read-only view of a stream that keeps the first exception a read or seek of it threw. libvips reads a stream
/// through a callback that turns any exception into a plain read error, so without it a store that failed (a staged
/// S3 object's ranged read timing out) would read as a file that is not an image. The inner stream is not disposed.
/// </summary>
internal sealed class FailureKeepingStream(Stream inner) : Stream
{
    /// <summary>The first failure of the inner stream, or null.</summary>
    public ExceptionDispatchInfo? Failure { get; private set; }

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => inner.CanSeek;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => Kept(() => inner.Position = value);
    }

    public override int Read(byte[] buffer, int offset, int count) => Kept(() => inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return inner.Read(buffer);
        }
        catch (Exception e)
        {
            Failure ??= ExceptionDispatchInfo.Capture(e);
            throw;
        }
    }

    public override long Seek(long offset, SeekOrigin origin) => Kept(() => inner.Seek(offset, origin));

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private T Kept<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (Exception e)
        {
            Failure ??= ExceptionDispatchInfo.Capture(e);
            throw;
        }
    }
}
