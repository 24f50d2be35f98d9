using System.Text.Json.Nodes;
using CdnProxy.Core;
using CdnProxy.Core.Jobs;
using CdnProxy.Core.Pipeline;
using CdnProxy.Server.Jobs.SixPx;

namespace CdnProxy.Server.Jobs.Predictions;

/// <summary>
/// Runs a prediction: prepares the image (fetched, decoded or read in place, as every job input), renders it through
/// the image pipeline with the model's pattern (the same plan, gate, limits and caches as the URL
/// <c>/v2/{cloud}/{pattern}/{file}</c>), and stores the result in the jobs cloud, served by the CDN. A failure a
/// client caused (an undecodable image, an input that cannot be fetched, a limit) fails the job with its public message.
/// </summary>
public sealed class PredictionJobHandler(ImagePipeline pipeline, JobInputs inputs, JobOutputs outputs, JobsOptions options) : IJobHandler
{
    public const string JobKind = "predictions";

    /// <summary>The stored output's name (Pixelbin numbers its results from 0).</summary>
    public const string OutputName = "result_0";

    public string Kind => JobKind;

    public async Task<JobOutcome> RunAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var request = PredictionRequest.Read(job.Request);
        var image = request.Image(options);
        try
        {
            var source = await inputs.PrepareAsync(job.Id, image, cancellationToken).ConfigureAwait(false);
            var rendered = await pipeline.HandleAsync(new ImageRequest($"/v2/{source.Cloud}/{request.Pattern}/{source.FilePath}"), cancellationToken).ConfigureAwait(false);
            var rendition = rendered.Rendition;
            var stored = await outputs.StoreAsync(job.Id, null, OutputName, rendition.Bytes, rendition.ContentType, request.BaseUrl, cancellationToken).ConfigureAwait(false);
            return JobOutcome.Complete(new JsonObject
            {
                ["output"] = new JsonArray(JsonValue.Create(stored.Url)),
                ["image"] = image.Kind == JobInputKind.Cloud ? image.Text : $"{request.BaseUrl}/v2/{source.Cloud}/original/{source.FilePath}",
            }.ToJsonString());
        }
        catch (CdnException e)
        {
            return JobOutcome.Failed(e.Message);
        }
    }
}
