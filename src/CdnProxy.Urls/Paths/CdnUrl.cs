namespace CdnProxy.Urls.Paths;

/// <summary>
/// A split CDN request path: <c>/{version}/{cloud}[/{zone}]/{pattern}/{filePath}</c> or a worker URL
/// <c>/{version}/{cloud}[/{zone}]/wrkr/{workerPath}</c>.
/// </summary>
/// <param name="Version"><c>v1</c> or <c>v2</c>.</param>
/// <param name="Cloud">The tenant id (from the path, or from a custom domain's host name).</param>
/// <param name="PatternText">The raw pattern segment (percent-decoded), <c>original</c> or a <c>~</c>-chain; empty for an untranslated worker URL.</param>
/// <param name="FilePath">The original's path below the origin root, percent-decoded, never containing <c>..</c> segments; empty for an untranslated worker URL.</param>
public sealed record CdnUrl(string Version, string Cloud, string PatternText, string FilePath)
{
    /// <summary>The zone slug, or null for the cloud's default zone.</summary>
    public string? Zone { get; init; }

    /// <summary>Everything after <c>wrkr/</c> for worker URLs, else null.</summary>
    public string? WorkerPath { get; init; }

    /// <summary>True for a worker URL whose path still has to be translated into a pattern and file path.</summary>
    public bool NeedsTranslation => WorkerPath is not null && PatternText.Length == 0;
}
