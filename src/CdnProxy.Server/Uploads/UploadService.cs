using System.Text.Json;
using CdnProxy.Core.Assets;
using CdnProxy.Core.Caching;
using CdnProxy.Core.Origins;
using CdnProxy.Core.Pipeline;
using CdnProxy.Core;
using CdnProxy.Core.Rendering;
using CdnProxy.Server.Hosting;

namespace CdnProxy.Server.Uploads;

/// <summary>
/// Stores uploads and changes stored files, whatever face the request came through (Pixelbin, PixLab, signed chunks):
/// bytes are sniffed as they arrive (an unsupported format is refused before it is stored), staged with a byte cap,
/// checked from their header (format, pixels), then committed atomically; every change of a file purges its
/// renditions in every tier and replica.
/// </summary>
public sealed class UploadService(
    ICloudCatalog clouds, TieredRenditionCache cache, OriginCooldowns cooldowns, CdnProxyOptions options, TimeProvider time, UploadQuotas quotas, RenderGate gate)
{
    /// <summary>Most parts of one chunked upload (S3's limit).</summary>
    public const int MaxParts = 10_000;

    private const int SniffBytes = 64;
    private const int MaxUniqueAttempts = 5;

    private readonly UploadOptions _options = options.Uploads;

    public UploadOptions Options => _options;

    /// <summary>
    /// The writable cloud (default: <c>Uploads:DefaultCloud</c>) and zone an API call names; in the jobs cloud the
    /// jobs' folder is kept from it (<see cref="UploadTarget.KeptFolder"/>).
    /// </summary>
    public UploadTarget Target(string? cloud, string? zone)
    {
        var target = JobsTarget(cloud, zone);
        // Every zone of the jobs cloud: a zone may read and write the same folder as the default one.
        return options.Jobs.Enabled && target.Cloud == options.Jobs.Cloud
            ? target with { KeptFolder = Jobs.JobsOptions.FilesFolder }
            : target;
    }

    /// <summary>The cloud an API call names: <paramref name="cloud"/>, else <c>Uploads:DefaultCloud</c>.</summary>
    public string CloudName(string? cloud) => string.IsNullOrWhiteSpace(cloud) ? _options.DefaultCloud : cloud.Trim();

    /// <summary>The writable cloud and zone as the jobs engine writes them, its own folder included.</summary>
    public UploadTarget JobsTarget(string? cloud, string? zone)
    {
        var name = CloudName(cloud);
        var binding = clouds.Find(name) ?? throw new CdnException(CdnErrorKind.UnknownCloud, "Unknown cloud");
        var slug = string.IsNullOrWhiteSpace(zone) ? null : zone.Trim();
        IOriginWriter? writer = binding.Writer;
        var cloudOptions = options.Clouds.GetValueOrDefault(name);
        var origin = cloudOptions?.Origin;
        if (slug is not null)
        {
            writer = binding.Zones.TryGetValue(slug, out var bound) ? bound.Writer : throw new CdnException(CdnErrorKind.UnknownZone, "Unknown zone");
            origin = cloudOptions?.Zones.GetValueOrDefault(slug)?.Origin ?? origin;
        }

        return new UploadTarget(
            name, slug, writer ?? throw new CdnException(CdnErrorKind.NotWritable, "This cloud does not accept uploads"), origin?.QuotaBytes ?? 0);
    }

    /// <summary>
    /// Sniffs the first bytes (an unsupported format fails at once, before anything is stored) and streams the rest
    /// into the target's staging area, capped at <paramref name="maxBytes"/>.
    /// </summary>
    public async Task<IStagedFile> StageAsync(UploadTarget target, Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(content);
        var head = new byte[SniffBytes];
        var read = await content.ReadAtLeastAsync(head, SniffBytes, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        EnsureSniffedFormatAllowed(head.AsSpan(0, read));
        var body = new PrefixedStream(head.AsMemory(0, read), content);
        await using (body.ConfigureAwait(false))
        {
            return await target.Writer.StageAsync(body, maxBytes, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Checks a staged upload (format and pixels from its header), chooses its path (unique when asked), commits it
    /// and purges the path's renditions. The staged file is always consumed: committed, or discarded.
    /// </summary>
    public async Task<StoredAsset> FinishAsync(UploadTarget target, UploadRequest request, IStagedFile staged, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(staged);
        await using (staged.ConfigureAwait(false))
        {
            var meta = await ReadHeaderAsync(staged, cancellationToken).ConfigureAwait(false);
            if (request.Format is { Length: > 0 } asked && FormatNames.Normalise(asked) != meta.Format)
            {
                throw CdnException.InvalidArgument($"format '{asked}' does not match the file's content ({meta.Format})");
            }

            var folder = WritableFolder(target, request.Path);
            var name = AssetPaths.Name(request.Name, request.FileName);
            var now = time.GetUtcNow();
            var record = new AssetRecord
            {
                Id = Guid.NewGuid().ToString(),
                Access = request.Access,
                Tags = request.Tags,
                Metadata = request.Metadata,
                Meta = meta,
                Comment = request.Comment,
                CreatedAt = now,
                UpdatedAt = now,
            };

            // Room under the cloud's quota, less the file an overwrite replaces (a unique name replaces nothing).
            var replacing = request.Overwrite && target.QuotaBytes > 0
                ? (await target.Writer.FindAsync(AssetPaths.FileId(target.Cloud, folder, name, meta.Format), cancellationToken).ConfigureAwait(false))?.Size ?? 0
                : 0;
            using var room = await quotas.ReserveAsync(target, staged.Length, replacing, cancellationToken).ConfigureAwait(false);
            for (var attempt = 0; attempt < MaxUniqueAttempts; attempt++)
            {
                var fileId = AssetPaths.FileId(target.Cloud, folder, attempt == 0 ? name : AssetPaths.Unique(name), meta.Format);

                // Not cancelled once begun: a commit is one atomic step, and the purge must follow it.
                if (await target.Writer.CommitAsync(staged, fileId, record, request.Overwrite, CancellationToken.None).ConfigureAwait(false))
                {
                    room.Commit();
                    await PurgeAsync(target, fileId).ConfigureAwait(false);
                    return new StoredAsset(target, new StoredFile(fileId, staged.Length, now, record.Access, record));
                }

                if (!request.FilenameOverride)
                {
                    break;
                }
            }

            throw new CdnException(CdnErrorKind.FileExists, "A file already exists at this path (send overwrite=true, or filenameOverride=true for a new name)");
        }
    }

    /// <summary>The file <paramref name="fileId"/> of the target, or a 404.</summary>
    public async Task<StoredAsset> FindAsync(UploadTarget target, string? fileId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var file = await target.Writer.FindAsync(ExistingPath(target, fileId), cancellationToken).ConfigureAwait(false) ?? throw NotFound();
        return new StoredAsset(target, file);
    }

    private static string ExistingPath(UploadTarget target, string? fileId) =>
        AssetPaths.Existing(fileId) is { } existing && !target.Keeps(existing) ? existing : throw NotFound();

    /// <summary>Changes tags, metadata and/or access; a change of access purges the renditions (they carry the old access).</summary>
    public async Task<StoredAsset> UpdateAsync(UploadTarget target, string? fileId, AssetChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(target);
        var path = ExistingPath(target, fileId);
        var before = AssetAccess.PublicRead;
        var file = await target.Writer.UpdateRecordAsync(
            path,
            file =>
            {
                // Applied to the file as it is under its lock, so a concurrent change of other fields is kept.
                before = file.Access;
                var current = file.Record ?? new AssetRecord { Id = Guid.NewGuid().ToString(), Access = file.Access, CreatedAt = file.LastModified ?? time.GetUtcNow() };
                return current with
                {
                    Tags = change.Tags ?? current.Tags,
                    Metadata = change.Metadata ?? current.Metadata,
                    Access = change.Access ?? file.Access,
                    UpdatedAt = time.GetUtcNow(),
                };
            },
            CancellationToken.None).ConfigureAwait(false) ?? throw NotFound();
        if (file.Access != before)
        {
            await PurgeAsync(target, file.Path).ConfigureAwait(false);
        }

        return new StoredAsset(target, file);
    }

    /// <summary>Deletes the file and its record and purges its renditions; a 404 when there is no such file.</summary>
    public async Task<StoredAsset> DeleteAsync(UploadTarget target, string? fileId, CancellationToken cancellationToken)
    {
        var found = await FindAsync(target, fileId, cancellationToken).ConfigureAwait(false);
        if (await target.Writer.DeleteAsync(found.File.Path, CancellationToken.None).ConfigureAwait(false))
        {
            quotas.Removed(target, found.File.Size);
        }
        else
        {
            throw NotFound();
        }

        await PurgeAsync(target, found.File.Path).ConfigureAwait(false);
        return found;
    }

    /// <summary>
    /// Starts a signed, chunked upload: its plan is kept in the store (any replica can complete it). With the size
    /// known, a cap and an early conflict check apply at once.
    /// </summary>
    public async Task<ChunkedUpload> BeginChunkedAsync(UploadTarget target, UploadRequest request, long? size, DateTimeOffset expires, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(request);
        if (size is < 1)
        {
            throw CdnException.InvalidArgument("size must be at least 1 byte");
        }

        if (size > _options.MaxChunkedBytes)
        {
            throw new CdnException(CdnErrorKind.UploadTooLarge, $"size must be at most {_options.MaxChunkedBytes} bytes");
        }

        // Everything the completion would refuse about the path is refused now, before any part is sent.
        var folder = WritableFolder(target, request.Path);
        if (request.Name is { Length: > 0 })
        {
            _ = AssetPaths.Name(request.Name, null);
        }

        if (size is { } bytes && PartCount(bytes) > MaxParts)
        {
            throw CdnException.InvalidArgument("size needs more than 10,000 parts of ChunkSizeBytes");
        }

        if (size is { } declared)
        {
            // A declared size past the quota is refused before any part is sent; the commit checks again.
            using var room = await quotas.ReserveAsync(target, declared, 0, cancellationToken).ConfigureAwait(false);
        }

        if (request.Name is { Length: > 0 } && request.Format is { Length: > 0 } format && !request.Overwrite && !request.FilenameOverride)
        {
            var fileId = AssetPaths.FileId(target.Cloud, folder, AssetPaths.Name(request.Name, null), FormatNames.Normalise(format));
            if (await target.Writer.FindAsync(fileId, cancellationToken).ConfigureAwait(false) is not null)
            {
                throw new CdnException(CdnErrorKind.FileExists, "A file already exists at this path (send overwrite=true, or filenameOverride=true for a new name)");
            }
        }

        var plan = JsonSerializer.Serialize(request, UploadJsonContext.Default.UploadRequest);
        return await target.Writer.Chunks.BeginAsync(plan, expires, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Parts needed for <paramref name="size"/> bytes.</summary>
    public int PartCount(long size) => (int)Math.Min(int.MaxValue, (size + _options.ChunkSizeBytes - 1) / _options.ChunkSizeBytes);

    /// <summary>Joins the parts (1..n, each present) and finishes the upload as <see cref="FinishAsync"/> does.</summary>
    public async Task<StoredAsset> CompleteChunkedAsync(UploadTarget target, ChunkedUpload upload, IReadOnlyList<UploadedPart> parts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(upload);
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count is 0 or > MaxParts || !parts.Select(p => p.Number).SequenceEqual(Enumerable.Range(1, parts.Count)))
        {
            throw CdnException.InvalidArgument("parts must be the part numbers 1..n, in order, each once");
        }

        if (parts.Any(p => p.ETag is null))
        {
            var received = (await target.Writer.Chunks.ListPartsAsync(upload, cancellationToken).ConfigureAwait(false)).Select(p => p.Number).ToHashSet();
            if (parts.FirstOrDefault(p => !received.Contains(p.Number)) is { } missing)
            {
                throw CdnException.InvalidArgument($"part {missing.Number} was not received");
            }
        }

        var request = JsonSerializer.Deserialize(upload.Plan, UploadJsonContext.Default.UploadRequest)
            ?? throw new InvalidOperationException("The upload session's plan is empty.");
        var staged = await target.Writer.Chunks.AssembleAsync(upload, parts, _options.MaxChunkedBytes, CancellationToken.None).ConfigureAwait(false);
        return await FinishAsync(target, request, staged, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One page of a folder: its sub-folders and files.</summary>
    public Task<FolderPage> ListAsync(UploadTarget target, string? folder, int page, int perPage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var path = AssetPaths.Folder(folder);
        return target.Keeps(path) ? throw NotFound() : ListVisibleAsync(target, path, page, perPage, cancellationToken);
    }

    private static async Task<FolderPage> ListVisibleAsync(UploadTarget target, string folder, int page, int perPage, CancellationToken cancellationToken)
    {
        var listing = await target.Writer.ListAsync(folder, (page - 1) * perPage, perPage, cancellationToken).ConfigureAwait(false);
        return folder.Length == 0 && target.KeptFolder is { } kept && listing.Folders.Contains(kept)
            ? listing with { Folders = [.. listing.Folders.Where(f => f != kept)] }
            : listing;
    }

    /// <summary>The canonical folder of a new file, or a 400 (not a folder name, or one kept from the API).</summary>
    private static string WritableFolder(UploadTarget target, string? path)
    {
        var folder = AssetPaths.Folder(path);
        return target.Keeps(folder)
            ? throw CdnException.InvalidArgument($"path: the folder '{target.KeptFolder}' of this cloud holds the jobs' files; choose another")
            : folder;
    }

    private static CdnException NotFound() => new(CdnErrorKind.AssetNotFound, "No such file");

    /// <summary>Fails with <c>UnsupportedFormat</c> unless the first bytes of a file sniff as a format uploads accept.</summary>
    public void EnsureSniffedFormatAllowed(ReadOnlySpan<byte> head)
    {
        var sniffed = FormatNames.FromContentType(ContentTypeSniffer.Sniff(head));

        // Formats the sniffer does not know (SVG, JPEG 2000, JPEG XL) are left to the header reader when allowed.
        var allowed = sniffed is null
            ? _options.AllowedFormats.Any(f => !FormatNames.Sniffable.Contains(f))
            : _options.AllowedFormats.Contains(sniffed);
        if (!allowed)
        {
            throw new CdnException(CdnErrorKind.UnsupportedFormat, "The file is not an image in a format this server accepts");
        }
    }

    private async Task<ImageMeta> ReadHeaderAsync(IStagedFile staged, CancellationToken cancellationToken)
    {
        var meta = await ImageHeaderReader.ReadOnRenderWorkerAsync(gate, staged.OpenRead, staged.Length, cancellationToken).ConfigureAwait(false);
        if (!_options.AllowedFormats.Contains(meta.Format))
        {
            throw new CdnException(CdnErrorKind.UnsupportedFormat, "The file is not an image in a format this server accepts");
        }

        if ((long)meta.Width * meta.Height * meta.Pages > _options.MaxPixels)
        {
            throw new CdnException(CdnErrorKind.LimitExceeded, $"The image has more than {_options.MaxPixels} pixels");
        }

        return meta;
    }

    /// <summary>
    /// Purges the file's renditions under every zone of the cloud that reads the same origin, and forgets a failed
    /// fetch of it (this replica's), so the stored file is served at once.
    /// </summary>
    private async Task PurgeAsync(UploadTarget target, string fileId)
    {
        var cloud = clouds.Find(target.Cloud);
        if (cloud?.Writer == target.Writer)
        {
            cooldowns.Forget(cloud.Origin, fileId);
            await cache.PurgeEverywhereAsync(RenditionKeyBuilder.OriginalId(target.Cloud, null, fileId), CancellationToken.None).ConfigureAwait(false);
        }

        foreach (var zone in cloud?.Zones.Values.Where(z => z.Writer == target.Writer) ?? [])
        {
            cooldowns.Forget(zone.Origin, fileId);
            await cache.PurgeEverywhereAsync(RenditionKeyBuilder.OriginalId(target.Cloud, zone.Slug, fileId), CancellationToken.None).ConfigureAwait(false);
        }
    }
}
