namespace CdnProxy.Urls.Paths;

/// <summary>A split CDN request path: <c>/{version}/{cloud}/{pattern}/{filePath}</c>, plus the query options read so far.</summary>
/// <param name="Version"><c>v1</c> or <c>v2</c>.</param>
/// <param name="Cloud">The tenant id.</param>
/// <param name="PatternText">The raw pattern segment (percent-decoded), <c>original</c> or a <c>~</c>-chain.</param>
/// <param name="FilePath">The original's path below the cloud's origin root, percent-decoded, never empty, never containing <c>..</c> segments.</param>
public sealed record CdnUrl(string Version, string Cloud, string PatternText, string FilePath);
