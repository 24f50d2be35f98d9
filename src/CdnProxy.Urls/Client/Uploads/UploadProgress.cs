namespace CdnProxy.Urls.Client.Uploads;

/// <summary>How far an upload is.</summary>
/// <param name="BytesSent">Bytes of parts acknowledged by the server (or S3).</param>
/// <param name="TotalBytes">The file's size, when known.</param>
/// <param name="PartsDone">Parts acknowledged.</param>
/// <param name="Retries">Attempts that failed and were retried so far.</param>
public sealed record UploadProgress(long BytesSent, long? TotalBytes, int PartsDone, int Retries);
