namespace CdnProxy.Server.Jobs;

/// <summary>Where an output goes: an S3 bucket (<c>s3://key:secret@bucket/path</c>), a writable cloud (<c>cloud://name/path</c>), or the jobs cloud.</summary>
public sealed record JobDestination
{
    public required JobDestinationKind Kind { get; init; }

    /// <summary>The bucket or the cloud.</summary>
    public required string Container { get; init; }

    /// <summary>The folder inside it, without leading or trailing slashes (may be empty).</summary>
    public required string Folder { get; init; }

    public string AccessKey { get; init; } = string.Empty;

    public string SecretKey { get; init; } = string.Empty;

    /// <summary>The destination as shown in answers: an S3 secret is never shown.</summary>
    public string Masked => Kind switch
    {
        JobDestinationKind.S3 => $"s3://{(AccessKey.Length > 0 ? AccessKey + ":***@" : string.Empty)}{Container}/{Folder}".TrimEnd('/'),
        _ => $"cloud://{Container}/{Folder}".TrimEnd('/'),
    };

    /// <summary>Parses a destination URL; returns a short problem, or null with the destination.</summary>
    public static string? TryParse(string text, out JobDestination? destination)
    {
        destination = null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("s3" or "cloud") || string.IsNullOrEmpty(uri.Host))
        {
            return "a destination is s3://key:secret@bucket/path or cloud://cloud/path";
        }

        var folder = Uri.UnescapeDataString(uri.AbsolutePath).Trim('/');
        if (folder.Split('/').Any(segment => segment is "." or ".."))
        {
            return "a destination path may not contain . or .. segments";
        }

        if (uri.Scheme == "cloud")
        {
            destination = new JobDestination { Kind = JobDestinationKind.Cloud, Container = uri.Host, Folder = folder };
            return null;
        }

        var credentials = uri.UserInfo.Split(':', 2);
        if (credentials.Length != 2 || credentials[0].Length == 0 || credentials[1].Length == 0)
        {
            return "an s3:// destination needs key:secret@";
        }

        destination = new JobDestination
        {
            Kind = JobDestinationKind.S3,
            Container = uri.Host,
            Folder = folder,
            AccessKey = Uri.UnescapeDataString(credentials[0]),
            SecretKey = Uri.UnescapeDataString(credentials[1]),
        };
        return null;
    }
}

public enum JobDestinationKind
{
    S3,
    Cloud,
}
