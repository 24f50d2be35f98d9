using System.Buffers;

namespace CdnProxy.Core.Origins;

/// <summary>
/// An original, read whole (within the configured byte cap). Dispose it once rendered: its buffer may be pooled.
/// </summary>
public sealed class OriginObject : IDisposable
{
    private byte[]? _pooled;

    /// <summary>An original in a buffer of its own.</summary>
    public OriginObject(ReadOnlyMemory<byte> content, DateTimeOffset? lastModified)
    {
        Content = content;
        LastModified = lastModified;
    }

    private OriginObject(byte[] pooled, int length, DateTimeOffset? lastModified)
        : this(pooled.AsMemory(0, length), lastModified)
    {
        _pooled = pooled;
    }

    /// <summary>The bytes; valid until <see cref="Dispose"/>.</summary>
    public ReadOnlyMemory<byte> Content { get; private set; }

    /// <summary>When the origin last changed it, if known.</summary>
    public DateTimeOffset? LastModified { get; }

    /// <summary>
    /// Who may see it, as recorded with the file when it was stored (committed atomically with its bytes, or under
    /// the store's commit lock); files nobody uploaded through CdnProxy are public.
    /// </summary>
    public AssetAccess Access { get; init; }

    /// <summary>
    /// Wraps a buffer rented from <see cref="ArrayPool{T}.Shared"/>; it goes back to the pool on dispose. Sources are
    /// often hundreds of kilobytes, so pooling keeps them off the large object heap on every request.
    /// </summary>
    public static OriginObject FromPooled(byte[] rented, int length, DateTimeOffset? lastModified, AssetAccess access = AssetAccess.PublicRead) =>
        new(rented, length, lastModified) { Access = access };

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _pooled, null) is { } buffer)
        {
            Content = ReadOnlyMemory<byte>.Empty;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
