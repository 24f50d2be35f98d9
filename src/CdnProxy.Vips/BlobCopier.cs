namespace CdnProxy.Vips;

/// <summary>Copies a blob out of libvips' memory (valid only during the call) into a managed array.</summary>
/// <param name="blob">The blob's bytes, owned by libvips.</param>
public delegate byte[] BlobCopier(ReadOnlySpan<byte> blob);
