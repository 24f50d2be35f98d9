using CdnProxy.Urls.Grammar;

namespace CdnProxy.Core.Transformations.Basic;

/// <summary>
/// Pixelbin's named qualities, accepted by <c>t.toFormat</c> and <c>t.compress</c>. They are stored as the number,
/// so <c>q:good</c> and <c>q:80</c> share a cache entry; what a number means per format is in docs/formats.md.
/// </summary>
internal static class QualityWords
{
    public static IReadOnlyDictionary<string, int> All { get; } = new Dictionary<string, int>(ArgumentText.ChoiceComparer)
    {
        ["best"] = 90,
        ["good"] = 80,
        ["eco"] = 65,
        ["low"] = 50,
    };
}
