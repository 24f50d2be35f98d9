using CdnProxy.Core.Planning;
using CdnProxy.Core.Origins;

namespace CdnProxy.Core.Pipeline;

/// <summary>
/// The fetch stage: the original and every file the plan references (merge images), all at once from the request's
/// own origin (same cloud and zone). A file id is a storage path that may lack its extension (Pixelbin file ids
/// do), so when the exact path is missing the <see cref="Extensions"/> are tried in order. Requests in flight for
/// the same file of the same origin share one read (<see cref="SharedOriginFetches"/>). Paths a merge image was
/// missing under are remembered (<see cref="KnownMissingFiles"/>): a missing merge image would otherwise cost every
/// request one origin read per extension.
/// </summary>
public sealed class RenderSourceFetcher
{
    /// <summary>The extensions tried by default, in order: the formats merge images usually come in.</summary>
    public static readonly IReadOnlyList<string> DefaultExtensions = [".png", ".jpg", ".jpeg", ".webp", ".avif", ".gif"];

    private readonly SharedOriginFetches _fetches;

    public RenderSourceFetcher(IReadOnlyList<string>? extensions = null, SharedOriginFetches? fetches = null)
    {
        Extensions = extensions ?? DefaultExtensions;
        _fetches = fetches ?? new SharedOriginFetches();
    }

    /// <summary>Tried in order after the exact path, for file ids without an extension.</summary>
    public IReadOnlyList<string> Extensions { get; }

    public async Task<RenderSources> FetchAsync(IOriginStore origin, string filePath, RenderPlan plan, CancellationToken cancellationToken) =>
        await FetchAsync(origin, filePath, plan, knownMissing: null, cancellationToken).ConfigureAwait(false);

    /// <summary>As above; the merge images' missing paths are remembered in and skipped by <paramref name="knownMissing"/> (null: nowhere).</summary>
    public async Task<RenderSources> FetchAsync(IOriginStore origin, string filePath, RenderPlan plan, KnownMissingFiles? knownMissing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(plan);
        string[] fileIds = [.. plan.ReferencedFiles];
        var fetches = new Task<OriginObject?>[fileIds.Length + 1];
        fetches[0] = _fetches.FetchAsync(origin, filePath, cancellationToken);
        for (var i = 0; i < fileIds.Length; i++)
        {
            fetches[i + 1] = FetchReferencedAsync(origin, fileIds[i], knownMissing, cancellationToken);
        }

        try
        {
            // WhenAll rethrows the first failure in array order, so the original's error wins.
            await Task.WhenAll(fetches).ConfigureAwait(false);
        }
        catch
        {
            DisposeFetched(fetches);
            throw;
        }

        if (fetches.Any(fetch => fetch.Result is null))
        {
            DisposeFetched(fetches);
            throw fetches[0].Result is null
                ? new CdnException(CdnErrorKind.OriginNotFound, "The original was not found")
                : new CdnException(CdnErrorKind.ReferencedFileNotFound, "The merge image was not found");
        }

        var referenced = new Dictionary<string, OriginObject>(StringComparer.Ordinal);
        for (var i = 0; i < fileIds.Length; i++)
        {
            referenced[fileIds[i]] = fetches[i + 1].Result!;
        }

        return new RenderSources(fetches[0].Result!, referenced);
    }

    private async Task<OriginObject?> FetchReferencedAsync(IOriginStore origin, string fileId, KnownMissingFiles? knownMissing, CancellationToken cancellationToken)
    {
        foreach (var path in Extensions.Select(extension => fileId + extension).Prepend(fileId))
        {
            if (knownMissing is not null && await knownMissing.ContainsAsync(path).ConfigureAwait(false))
            {
                continue;
            }

            if (await FetchOrNullAsync(origin, path, cancellationToken).ConfigureAwait(false) is { } found)
            {
                return found;
            }

            if (knownMissing is not null)
            {
                await knownMissing.RememberAsync(path).ConfigureAwait(false);
            }
        }

        return null;
    }

    private static void DisposeFetched(Task<OriginObject?>[] fetches)
    {
        foreach (var fetch in fetches)
        {
            if (fetch.IsCompletedSuccessfully)
            {
                fetch.Result?.Dispose();
            }
        }
    }

    // Some stores say "not found" by throwing (e.g. after asking a fallback origin): for a merge image that is
    // a miss like any other, so it can never be mistaken for the original's absence.
    private async Task<OriginObject?> FetchOrNullAsync(IOriginStore origin, string path, CancellationToken cancellationToken)
    {
        try
        {
            return await _fetches.FetchAsync(origin, path, cancellationToken).ConfigureAwait(false);
        }
        catch (CdnException e) when (e.Kind == CdnErrorKind.OriginNotFound)
        {
            return null;
        }
    }
}
