namespace CdnProxy.Core.Origins;

/// <summary>Where originals live (a local folder, S3, an HTTP origin). Adapters live in the server.</summary>
public interface IOriginStore
{
    /// <summary>Reads the original at <paramref name="filePath"/> (relative, already validated), or null when it does not exist.</summary>
    Task<OriginObject?> FetchAsync(string filePath, CancellationToken cancellationToken);

    /// <summary>What kind of origin this is (<c>local</c>, <c>s3</c>, <c>http</c>…), a metrics tag.</summary>
    string Kind => "other";
}
