using System.Text.Json.Nodes;
using CdnProxy.Core;
using CdnProxy.Core.Assets;
using CdnProxy.Core.Jobs;
using CdnProxy.Core.Pipeline;
using CdnProxy.Server.Jobs.SixPx;

namespace CdnProxy.Server.Jobs.Pixble;

/// <summary>
/// Runs a Pixble task 9 job: the image is stored in the jobs cloud through the upload path (as a 6px data URI input:
/// sniffed, header-checked, capped), rendered through the image pipeline with <c>enhance.magic</c> (the same plan,
/// gate, limits and caches as the URL <c>/v2/{cloud}/enhance.magic(…)/{file}</c>) in the image's own format, and the
/// result stored beside it. The result records both files (<see cref="PixbleFiles"/>); a failure keeps the input's.
/// </summary>
public sealed class PixbleJobHandler(ImagePipeline pipeline, JobInputs inputs, JobOutputs outputs) : IJobHandler
{
    public const string JobKind = "pixble";

    public string Kind => JobKind;

    public async Task<JobOutcome> RunAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var request = PixbleJobRequest.Read(job.Request);
        var result = new JsonObject();
        try
        {
            var source = await inputs.PrepareAsync(job.Id, new JobInput(PixbleFiles.Input, JobInputKind.Data, request.DataUri), cancellationToken).ConfigureAwait(false);
            var original = Convert.FromBase64String(request.Base64);
            result[PixbleFiles.Input] = PixbleFiles.Describe(source, original, ImageHeaderReader.Read(new MemoryStream(original, writable: false), original.Length));

            var rendered = await pipeline.HandleAsync(new ImageRequest($"/v2/{source.Cloud}/{request.Pattern}/{source.FilePath}"), cancellationToken).ConfigureAwait(false);
            var rendition = rendered.Rendition;
            var meta = ImageHeaderReader.Read(new MemoryStream(rendition.Bytes, writable: false), rendition.Bytes.Length);
            var stored = await outputs.StoreAsync(job.Id, null, PixbleFiles.Output, rendition.Bytes, rendition.ContentType, request.BaseUrl, cancellationToken).ConfigureAwait(false);
            result[PixbleFiles.Output] = PixbleFiles.Describe(stored.File!, rendition.Bytes, meta with { ContentType = rendition.ContentType });
            return JobOutcome.Complete(result.ToJsonString());
        }
        catch (CdnException e)
        {
            return JobOutcome.Failed(e.Message, result.ToJsonString());
        }
    }
}
