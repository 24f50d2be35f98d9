using CdnProxy.Core;
using CdnProxy.Core.Jobs;
using CdnProxy.Server.Uploads;

namespace CdnProxy.Server.Jobs;

/// <summary>
/// Forgets jobs that ended more than <see cref="JobsOptions.RetentionDays"/> ago: first the files each keeps in the jobs
/// cloud (<c>jobs/{id}/</c>: downloaded inputs, outputs without a destination; their renditions purged), then the job.
/// Files first, so a replica stopped half-way leaves a job whose files the next prune deletes again, never files that no
/// job names; replicas pruning together skip what the other already deleted. Outputs written to a destination (S3,
/// another cloud, another folder) are the caller's and stay.
/// </summary>
public sealed partial class JobRetention(IJobStore store, UploadService uploads, JobsOptions options, TimeProvider time, ILogger<JobRetention> logger)
{
    private const int Batch = 100;
    private const int FilesPerListing = 1000;

    /// <summary>Deletes every job past retention and its files; the number of jobs forgotten (0 when retention is off).</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        if (options.RetentionDays == 0)
        {
            return 0;
        }

        var endedBefore = time.GetUtcNow() - TimeSpan.FromDays(options.RetentionDays);
        var target = uploads.Target(options.Cloud, null);
        var forgotten = 0;
        while (true)
        {
            var ended = await store.ListEndedAsync(endedBefore, Batch, cancellationToken).ConfigureAwait(false);
            foreach (var job in ended)
            {
                await DeleteFilesAsync(target, $"jobs/{job.Id}", cancellationToken).ConfigureAwait(false);
                if (await store.DeleteEndedAsync(job.Id, cancellationToken).ConfigureAwait(false))
                {
                    forgotten++;
                }
            }

            if (ended.Count < Batch)
            {
                if (forgotten > 0)
                {
                    Forgotten(logger, forgotten, options.RetentionDays);
                }

                return forgotten;
            }
        }
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
}
