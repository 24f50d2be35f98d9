using CdnProxy.Urls.Grammar;

namespace CdnProxy.Cli;

/// <summary>One transformation call in the <c>cdnproxy parse</c> output; values stay raw strings.</summary>
internal sealed record TransformationDocument(string Plugin, string Name, IReadOnlyList<ArgumentDocument> Values)
{
    public static TransformationDocument From(TransformationCall call) => new(
        call.Plugin,
        call.Name,
        [.. call.Arguments.Select(a => new ArgumentDocument(a.Key, a.Value))]);
}
