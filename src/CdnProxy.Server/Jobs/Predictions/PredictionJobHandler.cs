using System.Text.Json.Nodes;
using CdnProxy.Core;
using CdnProxy.Core.Jobs;
using CdnProxy.Core.Pipeline;
using CdnProxy.Server.Jobs.SixPx;

namespace CdnProxy.Server.Jobs.Predictions;

/// <summary>
/// Runs a prediction: prepares the image (fetched, decoded or read in place, as every job input), renders it through
/// the image pipeline with the model's pattern (the same plan, gate, limits and caches as the URL
/// <c>/v2/{cloud}/{pattern}/{file}</c>) and stores the result in the jobs cloud, served by the CDN; or, for a model
/// that describes, answers the image info service's JSON. A failure a
/// client caused (an undecodable image, an input that cannot be fetched, a limit) fails the job with its public message.
/// </summary>
public sealed class PredictionJobHandler(
    JobRenderer renderer, JobInputs inputs, JobOutputs outputs, PredictionModels models, JobsOptions options) : IJobHandler
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
            var output = models.Find(request.Model).MakesImage
                ? await RenderAsync(job.Id, request, source, cancellationToken).ConfigureAwait(false)
                : await DescribeAsync(request, source, cancellationToken).ConfigureAwait(false);
            return JobOutcome.Complete(new JsonObject
            {
                ["output"] = output,
                ["image"] = image.Kind == JobInputKind.Cloud && request.DataUriShown is null ? image.Text : $"{request.BaseUrl}/v2/{source.Cloud}/original/{source.FilePath}",
            }.ToJsonString());
        }
        catch (CdnException e)
        {
            return JobOutcome.Failed(e.Message);
        }
    }

    /// <summary>Renders the image with the model's pattern and stores it; the output lists its URL.</summary>
    private async Task<JsonNode> RenderAsync(string jobId, PredictionRequest request, RenderSource source, CancellationToken cancellationToken)
    {
        var rendered = await renderer.RenderAsync(new ImageRequest($"/v2/{source.Cloud}/{request.Pattern}/{source.FilePath}"), cancellationToken).ConfigureAwait(false);
        var rendition = rendered.Rendition;
        var stored = await outputs.StoreAsync(jobId, null, OutputName, rendition.Bytes, rendition.ContentType, request.BaseUrl, cancellationToken).ConfigureAwait(false);
        return new JsonArray(JsonValue.Create(stored.Url));
    }

    /// <summary>The image info of the original (the job's owner holds an API key: private files and GPS open to it, as to the info API).</summary>
    private async Task<JsonNode> DescribeAsync(PredictionRequest request, RenderSource source, CancellationToken cancellationToken)
    {
        var described = await renderer.DescribeAsync(
            new ImageRequest($"/v2/{source.Cloud}/original/{source.FilePath}") { Authenticated = true }, InfoModel.Extras(request.Input), cancellationToken).ConfigureAwait(false);
        return JsonNode.Parse(described.Rendition.Bytes)!;
    }
}
