using CdnProxy.Core;
using CdnProxy.Core.Jobs;
using CdnProxy.Server.Uploads;

namespace CdnProxy.Server.Jobs;

/// <summary>
/// Forgets jobs that ended more than <see cref="JobsOptions.RetentionDays"/> ago: first the files each keeps in the jobs
/// cloud (<c>jobs/{id}/</c>: downloaded inputs, outputs without a destination; their renditions purged), then the job.
/// Files first, so a replica stopped half-way leaves a job whose files the next prune deletes again, never files that no
/// job names; replicas pruning together skip what the other already deleted. Outputs written to a destination (S3,
/// another cloud, another folder) are the caller's and stay. A job that cannot be forgotten (its files or its record
/// failed to delete) is skipped until the next prune, so one bad job never holds back the ones after it; several failing
/// in a row look like an outage of the jobs cloud or the store, and end the prune.
/// </summary>
public sealed partial class JobRetention(IJobStore store, UploadService uploads, JobsOptions options, TimeProvider time, ILogger<JobRetention> logger)
{
    private const int Batch = 100;
    private const int FilesPerListing = 1000;
    private const int FailuresInARowBeforeStopping = 3;

    /// <summary>Deletes every job past retention and its files; the number of jobs forgotten (0 when retention is off).</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        if (options.RetentionDays == 0)
        {
            return 0;
        }

        var endedBefore = time.GetUtcNow() - TimeSpan.FromDays(options.RetentionDays);
        var target = uploads.JobsTarget(options.Cloud, null);
        var forgotten = 0;
        // Jobs this prune has tried that are still there (failed, or not deleted): listed again, never tried again.
        var skipped = new HashSet<string>(StringComparer.Ordinal);
        var failuresInARow = 0;
        while (failuresInARow < FailuresInARowBeforeStopping)
        {
            var limit = Batch + skipped.Count;
            var ended = await store.ListEndedAsync(endedBefore, limit, cancellationToken).ConfigureAwait(false);
            var fresh = ended.Where(job => !skipped.Contains(job.Id)).ToList();
            foreach (var job in fresh)
            {
                try
                {
                    await DeleteFilesAsync(target, $"{JobsOptions.FilesFolder}/{job.Id}", cancellationToken).ConfigureAwait(false);
                    if (await store.DeleteEndedAsync(job.Id, cancellationToken).ConfigureAwait(false))
                    {
                        forgotten++;
                    }
                    else
                    {
                        skipped.Add(job.Id);
                    }

                    failuresInARow = 0;
                }
#pragma warning disable CA1031 // whatever failed for this job (storage, store, time-out) is retried at the next prune
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
                {
                    skipped.Add(job.Id);
                    NotForgotten(logger, job.Id, e);
                    if (++failuresInARow == FailuresInARowBeforeStopping)
                    {
                        Stopped(logger, failuresInARow);
                        break;
                    }
                }
            }

            if (ended.Count < limit || fresh.Count == 0)
            {
                break;
            }
        }

        if (forgotten > 0)
        {
            Forgotten(logger, forgotten, options.RetentionDays);
        }

        return forgotten;
    }

    /// <summary>
    /// Every file under <paramref name="folder"/>, listed whole before any is deleted (deleting shifts pages), then the
    /// emptied folders.
    /// </summary>
    private async Task DeleteFilesAsync(UploadTarget target, string folder, CancellationToken cancellationToken)
    {
        var files = new List<string>();
        var folders = new List<string>();
        for (var page = 1; ; page++)
        {
            var listing = await uploads.ListAsync(target, folder, page, FilesPerListing, cancellationToken).ConfigureAwait(false);
            files.AddRange(listing.Files.Select(f => f.Path));
            folders.AddRange(listing.Folders);
            if (!listing.HasMore)
            {
                break;
            }
        }

        foreach (var file in files)
        {
            try
            {
                await uploads.DeleteAsync(target, file, cancellationToken).ConfigureAwait(false);
            }
            catch (CdnException e) when (e.Kind == CdnErrorKind.AssetNotFound)
            {
                // Another replica deleted it first.
            }
        }

        foreach (var child in folders)
        {
            await DeleteFilesAsync(target, child, cancellationToken).ConfigureAwait(false);
        }

        await target.Writer.DeleteFolderIfEmptyAsync(folder, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 7005, Level = LogLevel.Information, Message = "Forgot {Count} job(s) that ended more than {Days} day(s) ago, with their files")]
    private static partial void Forgotten(ILogger logger, int count, int days);

    [LoggerMessage(EventId = 7007, Level = LogLevel.Warning, Message = "Job {JobId} is past its retention but could not be forgotten; the next prune tries again")]
    private static partial void NotForgotten(ILogger logger, string jobId, Exception exception);

    [LoggerMessage(EventId = 7008, Level = LogLevel.Warning, Message = "The retention prune stopped after {Count} jobs in a row could not be forgotten (the jobs cloud or the job store looks unavailable); the next prune tries again")]
    private static partial void Stopped(ILogger logger, int count);
}
