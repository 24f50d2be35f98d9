namespace CdnProxy.Core.Origins;

/// <summary>The wire names of <see cref="AssetAccess"/>, as Pixelbin writes them.</summary>
public static class AssetAccessNames
{
    public const string PublicRead = "public-read";

    public const string Private = "private";

    public static string ToName(this AssetAccess access) => access == AssetAccess.Private ? Private : PublicRead;

    /// <summary>Parses a wire name; null for anything else (the caller decides whether that is an error).</summary>
    public static AssetAccess? Parse(string? name) => name switch
    {
        PublicRead => AssetAccess.PublicRead,
        Private => AssetAccess.Private,
        _ => null,
    };
}
