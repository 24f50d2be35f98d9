using System.Buffers;

namespace CdnProxy.Core.Origins;

/// <summary>
/// An original, read whole (within the configured byte cap). Dispose it once rendered: its buffer may be pooled.
/// </summary>
public sealed class OriginObject : IDisposable
{
    private byte[]? _pooled;
    private Action? _release;

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

    /// <summary>
    /// A view of <paramref name="shared"/> for one of several readers: its bytes stay valid until this view is
    /// disposed, which calls <paramref name="release"/> once (the owner frees the shared object after the last one).
    /// </summary>
    public static OriginObject Lease(OriginObject shared, Action release)
    {
        ArgumentNullException.ThrowIfNull(shared);
        ArgumentNullException.ThrowIfNull(release);
        return new OriginObject(shared.Content, shared.LastModified) { Access = shared.Access, _release = release };
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _release, null) is { } release)
        {
            Content = ReadOnlyMemory<byte>.Empty;
            release();
        }

        if (Interlocked.Exchange(ref _pooled, null) is { } buffer)
        {
            Content = ReadOnlyMemory<byte>.Empty;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
