using CdnProxy.Urls.Grammar;
using CdnProxy.Urls.Paths;

namespace CdnProxy.Cli;

/// <summary>The JSON printed by <c>cdnproxy parse</c>, shaped like the Pixelbin SDK's <c>urlToObj</c> output.</summary>
internal sealed record ParsedUrlDocument(
    string Version,
    string CloudName,
    string Pattern,
    string FilePath,
    IReadOnlyList<TransformationDocument> Transformations)
{
    public static ParsedUrlDocument From(CdnUrl url, PatternSyntax pattern) => new(
        url.Version,
        url.Cloud,
        url.PatternText,
        url.FilePath,
        [.. pattern.Calls.Select(TransformationDocument.From)]);
}
