using CdnProxy.Core.Transformations;
using CdnProxy.Core.Origins;
using CdnProxy.Core.Rendering;

namespace CdnProxy.Core.Pipeline;

/// <summary>Everything a render reads, fetched before the render gate: the original and the files the plan references.</summary>
public sealed class RenderSources : IDisposable
{
    private readonly IReadOnlyList<OriginObject> _referenced;

    internal RenderSources(OriginObject original, IReadOnlyDictionary<string, OriginObject> referenced)
    {
        Original = original;
        _referenced = [.. referenced.Values];
        Files = referenced.Count == 0
            ? ReferencedFiles.None
            : new ReferencedFiles(referenced.ToDictionary(pair => pair.Key, pair => pair.Value.Content, StringComparer.Ordinal));
    }

    public OriginObject Original { get; }

    /// <summary>Private when the original or any referenced file is: a rendition shows them all.</summary>
    public AssetAccess Access => Original.Access == AssetAccess.Private || _referenced.Any(f => f.Access == AssetAccess.Private)
        ? AssetAccess.Private
        : AssetAccess.PublicRead;

    /// <summary>The referenced files by file id, for <see cref="RenderContext.WithFiles"/>.</summary>
    public ReferencedFiles Files { get; }

    /// <summary>
    /// The original as the one copy libvips reads; the fetched bytes go back to the pool at once, so a render waiting
    /// for a worker holds one copy of its original, not two (a 10 MB PNG: 10 MB less per render queued or running).
    /// </summary>
    public SourceImage TakeOriginal()
    {
        var image = new SourceImage(Original.Content.Span);
        Original.Dispose();
        return image;
    }

    public void Dispose()
    {
        Original.Dispose();
        foreach (var file in _referenced)
        {
            file.Dispose();
        }
    }
}
