namespace CdnProxy.Server.Origins;

/// <summary>Where a cloud's originals live.</summary>
public sealed class OriginOptions
{
    /// <summary><c>local</c> (a folder). S3 and HTTP origins come with the origins issue.</summary>
    public string Type { get; init; } = "local";

    /// <summary>For <c>local</c>: the folder; a relative path is relative to the application folder.</summary>
    public string? Root { get; init; }

    /// <summary>Largest original read, in bytes.</summary>
    public long MaxBytes { get; init; } = 25L * 1024 * 1024;
}
