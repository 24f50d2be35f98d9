using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using CdnProxy.Core;

namespace CdnProxy.Server.Origins.S3;

/// <summary>
/// A seekable, read-only view of an S3 object through ranged GETs, with a small read-ahead window: reading an image
/// header from a 200 MB staged object costs a few requests and a few hundred kilobytes, never the object. Each ranged
/// read has <paramref name="readTimeout"/>, not the client's (a write client: minutes, retried), since the reader
/// blocks a render thread until it ends. A read that times out fails with <see cref="CdnErrorKind.OriginTimeout"/>, one
/// the store refuses with <see cref="CdnErrorKind.OriginFailed"/>, one it throttles with
/// <see cref="CdnErrorKind.OriginThrottled"/>: the store's fault, not the file's.
/// </summary>
internal sealed class S3RangeStream(AmazonS3Client client, string bucket, string key, long length, TimeSpan readTimeout, TimeProvider time, ILogger logger, string origin) : Stream
{
    private const int Window = 256 * 1024;

    private byte[] _window = [];
    private long _windowStart = -1;
    private long _position;
    private CdnException? _failure;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => _position = Math.Clamp(value, 0, length);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_position >= length || buffer.Length == 0)
        {
            return 0;
        }

        if (_windowStart < 0 || _position < _windowStart || _position >= _windowStart + _window.Length)
        {
            Fill(_position, Math.Max(Window, buffer.Length));
        }

        var available = _window.AsSpan((int)(_position - _windowStart));
        var read = Math.Min(available.Length, buffer.Length);
        available[..read].CopyTo(buffer);
        _position += read;
        return read;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    // libvips reads synchronously from its own callbacks: this blocks for one ranged request at a time. A failure
    // (a timeout too) makes libvips fail the header read; the header reader then reports this failure, not the file.
    // Once a read failed the stream stays failed: libvips goes on reading after a failed read (its loaders probe in
    // turn), and each read would ask the store again, with the client's retries: 7 reads, 21 requests, 12 s for one
    // throttled upload.
    private void Fill(long start, int size)
    {
        if (_failure is not null)
        {
            throw _failure;
        }

        var end = Math.Min(length, start + size) - 1;
        try
        {
            _window = ReadRangeAsync(start, end).GetAwaiter().GetResult();
        }
        catch (CdnException e)
        {
            _failure = e;
            throw;
        }

        _windowStart = start;
    }

    private async Task<byte[]> ReadRangeAsync(long start, long end)
    {
        using var timeout = new CancellationTokenSource(readTimeout);
        try
        {
            var request = new GetObjectRequest { BucketName = bucket, Key = key, ByteRange = new ByteRange(start, end) };
            using var response = await client.GetObjectAsync(request, timeout.Token).ConfigureAwait(false);
            var bytes = new byte[end - start + 1];
            await response.ResponseStream.ReadExactlyAsync(bytes, timeout.Token).ConfigureAwait(false);
            return bytes;
        }
        catch (OperationCanceledException e) when (timeout.IsCancellationRequested)
        {
            throw OriginLog.Failure(logger, origin, key, CdnErrorKind.OriginTimeout, e);
        }
        catch (AmazonServiceException e) when (S3Throttling.Is(e))
        {
            throw S3Throttling.Failure(e, time.GetUtcNow(), logger, origin, key);
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException or IOException)
        {
            throw OriginLog.Failure(logger, origin, key, S3OriginStore.IsTimeout(e) ? CdnErrorKind.OriginTimeout : CdnErrorKind.OriginFailed, e);
        }
    }
}
