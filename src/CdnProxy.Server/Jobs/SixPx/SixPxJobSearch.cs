using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CdnProxy.Core.Jobs;

namespace CdnProxy.Server.Jobs.SixPx;

/// <summary>
/// 6px's search on the job's fields, judged on each job as shown. The owner's window is read in batches after the
/// last job seen (so jobs created meanwhile neither repeat nor shift it), and only what the answer needs is kept: the
/// page's jobs when ordered by creation, else each match's sort key and id (the page's jobs are read again by id).
/// A search stops after <see cref="Window"/> jobs or <see cref="MaxScannedChars"/> of stored JSON, whichever comes
/// first, so its memory and CPU are bounded however large the owner's jobs are.
/// </summary>
public sealed class SixPxJobSearch(IJobStore store, SixPxJobView view)
{
    /// <summary>The most jobs one search looks through (newest or oldest first, as sorted).</summary>
    public const int Window = 10_000;

    /// <summary>The most stored JSON (request and result, in characters) one search reads.</summary>
    public const long MaxScannedChars = 32L * 1024 * 1024;

    // A job's stored request is at most ~0.3 MB, so a batch holds at most ~16 MB of text at once.
    private const int BatchSize = 50;

    // Sort keys are compared up to here: enough to order any real field, and a key cannot be the size of a job.
    private const int MaxSortKeyChars = 256;

    /// <summary>The page's jobs, how many jobs matched, and how many were looked through.</summary>
    public sealed record Result(IReadOnlyList<JsonObject> Page, int Total, int Searched);

    public async Task<Result> SearchAsync(
        JobQuery window, IReadOnlyList<SixPxSearch.Condition> conditions, string? sortField, bool descending, long skip, int take, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(window);
        var page = new List<JsonObject>();
        var keyed = new List<(string Key, string Id)>();
        var total = 0;
        var searched = 0;
        long scannedChars = 0;
        JobRecord? last = null;
        while (searched < window.Limit && scannedChars < MaxScannedChars)
        {
            var batch = await store.ListAsync(window with { Limit = Math.Min(BatchSize, window.Limit - searched), Offset = 0, After = last }, cancellationToken);
            foreach (var job in batch)
            {
                if (scannedChars >= MaxScannedChars)
                {
                    break;
                }

                searched++;
                scannedChars += job.Request.Length + (job.Result?.Length ?? 0);
                var shown = view.ToJson(job);
                if (!conditions.All(c => SixPxSearch.Matches(shown, c)))
                {
                    continue;
                }

                if (sortField is null && total >= skip && page.Count < take)
                {
                    page.Add(shown);
                }
                else if (sortField is not null)
                {
                    keyed.Add((SortKey(shown, sortField), job.Id));
                }

                total++;
            }

            if (batch.Count < BatchSize)
            {
                break;
            }

            last = batch[^1];
        }

        if (sortField is not null)
        {
            page = await ReadPageAsync(keyed, conditions, descending, skip, take, cancellationToken);
        }

        return new Result(page, total, searched);
    }

    private async Task<List<JsonObject>> ReadPageAsync(
        List<(string Key, string Id)> keyed, IReadOnlyList<SixPxSearch.Condition> conditions, bool descending, long skip, int take, CancellationToken cancellationToken)
    {
        var ordered = descending ? keyed.OrderByDescending(k => k.Key, StringComparer.Ordinal) : keyed.OrderBy(k => k.Key, StringComparer.Ordinal);
        var page = new List<JsonObject>();
        foreach (var (_, id) in ordered.Skip((int)Math.Min(int.MaxValue, skip)).Take(take))
        {
            // Shown as it is now: one deleted or changed since it was judged so that it no longer matches is left out.
            if (await store.GetAsync(id, cancellationToken) is { } job && view.ToJson(job) is var shown && conditions.All(c => SixPxSearch.Matches(shown, c)))
            {
                page.Add(shown);
            }
        }

        return page;
    }

    private static string SortKey(JsonObject job, string path)
    {
        JsonNode? node = job;
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject obj ? obj[part] : null;
        }

        var key = node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            ? value.GetValue<double>().ToString("0000000000000000.000000", CultureInfo.InvariantCulture)
            : node?.ToString() ?? string.Empty;
        return key.Length <= MaxSortKeyChars ? key : key[..MaxSortKeyChars];
    }
}
