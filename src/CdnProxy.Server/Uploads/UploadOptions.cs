namespace CdnProxy.Server.Uploads;

/// <summary>Uploads and the assets API (<c>CdnProxy:Uploads</c>, docs/uploads.md). Uploads need a writable origin and API keys.</summary>
public sealed class UploadOptions
{
    /// <summary>Shortest chunk S3 accepts for every part but the last.</summary>
    public const int MinChunkSizeBytes = 5 * 1024 * 1024;

    /// <summary>Longest lifetime of a signed upload (S3's limit for presigned URLs).</summary>
    public const int MaxSignedUrlExpirySeconds = 7 * 24 * 3600;

    /// <summary>Largest file sent in one request (<c>POST /api/v1/upload</c>, <c>POST /store</c>), counted while streaming.</summary>
    public long MaxBytes { get; set; } = 25L * 1024 * 1024;

    /// <summary>Largest file sent through a signed, chunked upload.</summary>
    public long MaxChunkedBytes { get; set; } = 1L << 30;

    /// <summary>Formats accepted, sniffed from the content (never the file name): jpeg, png, webp, gif, avif, heic, tiff.</summary>
    public List<string> AllowedFormats { get; set; } = ["jpeg", "png", "webp", "gif", "avif", "heic", "tiff"];

    /// <summary>Most pixels (width × height × pages) of an accepted image, read from its header.</summary>
    public long MaxPixels { get; set; } = 100_000_000;

    /// <summary>Upload and asset-changing calls per minute per API key (per client address before a key is known); 0: no limit.</summary>
    public int RequestsPerMinute { get; set; } = 120;

    /// <summary>Part size of signed, chunked uploads (Pixelbin's 10 MB); at least 5 MiB, the smallest S3 part.</summary>
    public int ChunkSizeBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Default lifetime of a signed upload, in seconds (Pixelbin's 3,000).</summary>
    public int SignedUrlExpirySeconds { get; set; } = 3000;

    /// <summary>
    /// The HMAC secret of the server's own chunk URLs (local clouds). Empty: derived from the first plain API key
    /// (else from every cloud key together), so rotating that key also invalidates open upload URLs. At least 32
    /// characters when set.
    /// </summary>
    public string SigningSecret { get; set; } = string.Empty;

    /// <summary>Scheme and host of the CDN URLs that answers give (e.g. <c>https://img.example.com</c>); empty: the request's own.</summary>
    public string PublicBaseUrl { get; set; } = string.Empty;

    /// <summary>The cloud uploads go to when they name none (Pixelbin's API has no cloud field; PixLab's <c>POST /store</c> never names one).</summary>
    public string DefaultCloud { get; set; } = "uploads";

    /// <summary>The folder of that cloud PixLab uploads go to (each gets a new random name).</summary>
    public string StoreFolder { get; set; } = "store";

    /// <summary>Adds a start-up failure for every bad setting.</summary>
    public void Validate(List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        const string at = "CdnProxy:Uploads:";
        if (MaxBytes < 1 || MaxChunkedBytes < 1 || MaxChunkedBytes > 5L * 1024 * 1024 * 1024)
        {
            failures.Add(at + "MaxBytes and MaxChunkedBytes must be at least 1; MaxChunkedBytes at most 5 GiB (S3's largest single copy).");
        }

        var unknown = AllowedFormats.Where(f => !KnownFormats.Contains(f)).ToList();
        if (unknown.Count > 0)
        {
            failures.Add($"{at}AllowedFormats: unknown format(s) {string.Join(", ", unknown)} (known: {string.Join(", ", KnownFormats)}).");
        }

        if (MaxPixels < 1 || RequestsPerMinute < 0)
        {
            failures.Add(at + "MaxPixels must be at least 1 and RequestsPerMinute at least 0.");
        }

        if (ChunkSizeBytes is < MinChunkSizeBytes or > 100 * 1024 * 1024)
        {
            failures.Add($"{at}ChunkSizeBytes must be between {MinChunkSizeBytes} (5 MiB, S3's smallest part) and 104857600.");
        }

        if (SignedUrlExpirySeconds is < 1 or > MaxSignedUrlExpirySeconds)
        {
            failures.Add($"{at}SignedUrlExpirySeconds must be between 1 and {MaxSignedUrlExpirySeconds} (7 days).");
        }

        if (SigningSecret.Length is > 0 and < 32)
        {
            failures.Add(at + "SigningSecret must be at least 32 characters (e.g. `openssl rand -hex 32`).");
        }

        if (PublicBaseUrl.Length > 0 && !(Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" && url.Query.Length == 0))
        {
            failures.Add(at + "PublicBaseUrl must be an absolute http(s) URL without a query.");
        }
    }

    /// <summary>Every format an upload can be (what the header reader names).</summary>
    public static IReadOnlyList<string> KnownFormats { get; } = ["jpeg", "png", "webp", "gif", "avif", "heic", "tiff", "svg", "jp2k", "jxl"];
}
