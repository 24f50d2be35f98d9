using System.Buffers;
using CdnProxy.Core;

namespace CdnProxy.Server.Origins;

/// <summary>Copies a body of unknown length, failing as soon as it passes a byte cap (a declared length is never trusted).</summary>
internal static class CappedCopy
{
    private const int BufferSize = 128 * 1024;

    /// <summary>Copies all of <paramref name="source"/> to <paramref name="target"/>; returns the bytes copied.</summary>
    public static async Task<long> CopyAsync(Stream source, Stream target, long maxBytes, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long total = 0;
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
                if (total > maxBytes)
                {
                    throw new CdnException(CdnErrorKind.UploadTooLarge, "The file is larger than this cloud accepts");
                }

                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }

            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
