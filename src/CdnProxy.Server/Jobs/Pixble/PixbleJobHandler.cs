using System.Text.Json.Nodes;
using CdnProxy.Core;
using CdnProxy.Core.Assets;
using CdnProxy.Core.Jobs;
using CdnProxy.Core.Pipeline;

namespace CdnProxy.Server.Jobs.Pixble;

/// <summary>
/// Runs a Pixble task 9 job: its input, stored in the jobs cloud when the job was created, is rendered through the
/// image pipeline with <c>enhance.magic</c> (the same plan, gate, limits and caches as the URL
/// <c>/v2/{cloud}/enhance.magic(…)/{file}</c>) in the image's own format, and the result stored beside it at
/// <c>jobs/{id}/outputs/output.{ext}</c>. The result records the output file; a failure records nothing.
/// </summary>
public sealed class PixbleJobHandler(JobRenderer renderer, JobOutputs outputs, RenderGate gate) : IJobHandler
{
    public const string JobKind = "pixble";

    public string Kind => JobKind;

    public async Task<JobOutcome> RunAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var request = PixbleJobRequest.Read(job.Request);
        var input = request.Input ?? throw new InvalidOperationException("A Pixble job is stored with its input");
        try
        {
            var rendered = await renderer.RenderAsync(new ImageRequest($"/v2/{input.Cloud}/{request.Pattern}/{input.Path}"), cancellationToken).ConfigureAwait(false);
            var rendition = rendered.Rendition;
            var meta = await ImageHeaderReader.ReadOnRenderWorkerAsync(gate, rendition.Bytes, cancellationToken).ConfigureAwait(false);
            var stored = await outputs.StoreAsync(job.Id, null, PixbleFiles.Output, rendition.Bytes, rendition.ContentType, request.BaseUrl, cancellationToken).ConfigureAwait(false);
            var output = PixbleStoredFile.Of(stored.File!, rendition.Bytes, meta with { ContentType = rendition.ContentType });
            return JobOutcome.Complete(new JsonObject { [PixbleFiles.Output] = output.ToJson() }.ToJsonString());
        }
        catch (CdnException e)
        {
            return JobOutcome.Failed(e.Message);
        }
    }

    /// <summary>The output a job's result records, or null (not done, or failed).</summary>
    public static PixbleStoredFile? Output(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.Result is { } result ? PixbleStoredFile.FromJson(JsonNode.Parse(result)?[PixbleFiles.Output]) : null;
    }
}
