using System.Text.Json.Nodes;

namespace CdnProxy.Urls.Client.Uploads;

/// <summary>What to store and where: the Pixelbin SDK's upload arguments, plus CdnProxy's cloud and zone.</summary>
public sealed record UploadArguments
{
    /// <summary>The cloud; null: the server's default upload cloud.</summary>
    public string? Cloud { get; init; }

    /// <summary>The zone slug, or null.</summary>
    public string? Zone { get; init; }

    /// <summary>File name without extension; null: a random one.</summary>
    public string? Name { get; init; }

    /// <summary>The folder (e.g. <c>products/shoes</c>).</summary>
    public string? Path { get; init; }

    /// <summary>The expected format (extension); null: the server sniffs it.</summary>
    public string? Format { get; init; }

    /// <summary><c>public-read</c> (default) or <c>private</c> (served only through signed URLs).</summary>
    public string? Access { get; init; }

    /// <summary>Tags.</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>Metadata: a JSON object.</summary>
    public JsonObject? Metadata { get; init; }

    /// <summary>Replace a file already at the path.</summary>
    public bool Overwrite { get; init; }

    /// <summary>When the path is taken (and not overwriting), store under a new unique name.</summary>
    public bool FilenameOverride { get; init; }

    /// <summary>Lifetime of the signed upload in seconds; null: the server's default (3,000).</summary>
    public int? Expiry { get; init; }
}
