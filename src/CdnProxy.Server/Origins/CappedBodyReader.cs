using System.Buffers;
using CdnProxy.Core;
using CdnProxy.Core.Origins;

namespace CdnProxy.Server.Origins;

/// <summary>
/// Reads a remote body into a pooled buffer, stopping as soon as it passes the byte cap: a declared length is only a
/// hint (it may lie or be absent), the bytes actually read decide.
/// </summary>
internal static class CappedBodyReader
{
    private const int InitialBuffer = 64 * 1024;

    public static CdnException TooLarge() => new(CdnErrorKind.SourceTooLarge, "The original is larger than this server accepts");

    /// <summary>Fails early when the declared length is already over the cap.</summary>
    public static void RejectDeclaredLength(long? declaredLength, long maxBytes)
    {
        if (declaredLength > maxBytes)
        {
            throw TooLarge();
        }
    }

    public static async Task<OriginObject> ReadAsync(
        Stream body, long? declaredLength, long maxBytes, DateTimeOffset? lastModified, AssetAccess access, CancellationToken cancellationToken)
    {
        RejectDeclaredLength(declaredLength, maxBytes);

        // One byte more than the cap tells "exactly at the cap" from "over it" (MaxBytes is validated to fit an array).
        var limit = (int)(maxBytes + 1);
        var initial = (int)Math.Clamp(declaredLength is > 0 ? declaredLength.Value + 1 : InitialBuffer, 1, limit);
        var buffer = ArrayPool<byte>.Shared.Rent(initial);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == Math.Min(buffer.Length, limit))
                {
                    buffer = Grow(buffer, length, (int)Math.Min((long)buffer.Length * 2, limit));
                }

                var read = await body.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, limit) - length), cancellationToken)
                    .ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > maxBytes)
                {
                    throw TooLarge();
                }
            }

            return OriginObject.FromPooled(buffer, length, lastModified, access);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static byte[] Grow(byte[] buffer, int length, int size)
    {
        var larger = ArrayPool<byte>.Shared.Rent(size);
        buffer.AsSpan(0, length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }
}
