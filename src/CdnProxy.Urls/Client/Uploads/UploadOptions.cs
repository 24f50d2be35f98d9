namespace CdnProxy.Urls.Client.Uploads;

/// <summary>How <see cref="Uploader"/> sends a file: the Pixelbin SDK's <c>uploadOptions</c>, with its defaults.</summary>
public sealed record UploadOptions
{
    /// <summary>Bytes per part (10 MB). An S3 cloud's own chunk size wins: its presigned parts are cut by it.</summary>
    public int ChunkSize { get; init; } = 10 * 1024 * 1024;

    /// <summary>Retries of a failed part (or of the completion) after the first attempt.</summary>
    public int MaxRetries { get; init; } = 2;

    /// <summary>Parts in flight at once (memory: this many parts).</summary>
    public int Concurrency { get; init; } = 3;

    /// <summary>Each retry waits <see cref="RetryDelay"/> × this factor to the power of the retries made so far.</summary>
    public double ExponentialFactor { get; init; } = 2;

    /// <summary>The wait before the first retry.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);
}
