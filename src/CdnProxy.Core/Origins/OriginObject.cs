namespace CdnProxy.Core.Origins;

/// <summary>An original, read whole (within the configured byte cap).</summary>
/// <param name="Content">The bytes.</param>
/// <param name="LastModified">When the origin last changed it, if known.</param>
public sealed record OriginObject(ReadOnlyMemory<byte> Content, DateTimeOffset? LastModified);
