using System.Diagnostics;
using System.Text.Json.Nodes;
using CdnProxy.Core;
using CdnProxy.Core.Assets;
using CdnProxy.Core.Jobs;
using CdnProxy.Core.Pipeline;

namespace CdnProxy.Server.Jobs.SixPx;

/// <summary>
/// Runs a 6px job: prepares the inputs (download time), renders every output file through the image pipeline (the
/// same plan, gate, limits and caches as a URL: <c>/v2/{cloud}/{pattern}/{file}</c>), stores each (upload time), and
/// records 6px's <c>processed</c> figures. The first failure fails the job with its public message; what was done
/// before it stays in <c>processed</c>.
/// </summary>
public sealed class SixPxJobHandler(JobRenderer renderer, JobInputs inputs, JobOutputs outputs, JobsOptions options, TimeProvider time, RenderGate gate) : IJobHandler
{
    public const string JobKind = "6px";

    public string Kind => JobKind;

    public async Task<JobOutcome> RunAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var stored = SixPxStoredRequest.Read(job.Request);
        var request = SixPxJobRequest.Parse(stored.Body, options);
        var start = time.GetUtcNow();
        long download = 0, upload = 0, bytes = 0;
        var files = new JsonObject();
        try
        {
            var sources = new Dictionary<string, RenderSource>(StringComparer.Ordinal);
            foreach (var input in request.Inputs)
            {
                var began = Stopwatch.GetTimestamp();
                sources[input.Name] = await inputs.PrepareAsync(job.Id, input, cancellationToken).ConfigureAwait(false);
                download += (long)Stopwatch.GetElapsedTime(began).TotalMilliseconds;
            }

            foreach (var output in request.Outputs)
            {
                foreach (var file in output.Files)
                {
                    var source = sources[file.Input];
                    var result = new JsonObject();
                    if (!output.AnalysisOnly)
                    {
                        var rendered = await renderer.RenderAsync(new ImageRequest($"/v2/{source.Cloud}/{Pattern(output)}/{source.FilePath}"), cancellationToken).ConfigureAwait(false);
                        var rendition = rendered.Rendition;
                        var meta = await ImageHeaderReader.ReadOnRenderWorkerAsync(gate, rendition.Bytes, cancellationToken).ConfigureAwait(false);
                        var began = Stopwatch.GetTimestamp();
                        var location = await outputs.StoreAsync(job.Id, output.Destination, file.Name, rendition.Bytes, rendition.ContentType, stored.BaseUrl, cancellationToken).ConfigureAwait(false);
                        upload += (long)Stopwatch.GetElapsedTime(began).TotalMilliseconds;
                        bytes += rendition.Bytes.Length;
                        result["info"] = new JsonObject { ["bytes"] = rendition.Bytes.Length, ["width"] = meta.Width, ["height"] = meta.Height };
                        result["url"] = location.Url;
                        result["type"] = rendition.ContentType;
                    }

                    if (output.Analysis is { } analysis)
                    {
                        result["analyze"] = await AnalyseAsync(source, analysis, cancellationToken).ConfigureAwait(false);
                    }

                    result["ref"] = file.Input;
                    files[file.Name] = result;
                }
            }

            return JobOutcome.Complete(Processed(start, download, upload, files, bytes).ToJsonString());
        }
        catch (CdnException e)
        {
            return JobOutcome.Failed(e.Message, Processed(start, download, upload, files, bytes).ToJsonString());
        }
    }

    /// <summary>
    /// 6px's <c>analyze</c> of the input, from the image info service (the same answer and cache as
    /// <c>GET /api/v1/info</c>; the job's owner holds an API key, so GPS is as that endpoint gives it without gps=true).
    /// </summary>
    private async Task<JsonObject> AnalyseAsync(RenderSource source, SixPxAnalysis analysis, CancellationToken cancellationToken)
    {
        var described = await renderer.DescribeAsync(
            new ImageRequest($"/v2/{source.Cloud}/original/{source.FilePath}") { Authenticated = true },
            analysis.Faces ? InfoExtras.Faces : InfoExtras.None,
            cancellationToken).ConfigureAwait(false);
        var json = JsonNode.Parse(described.Rendition.Bytes)!.AsObject();
        var result = new JsonObject();
        if (analysis.Exif)
        {
            result["exif"] = json["exif"]?.DeepClone() ?? new JsonObject();
        }

        if (analysis.Color)
        {
            var color = new JsonObject { ["dominant"] = json["dominantColor"]?.DeepClone() };
            if (analysis.Palette)
            {
                color["palette"] = json["palette"]?.DeepClone() ?? new JsonArray();
            }

            result["color"] = color;
        }

        if (analysis.Faces)
        {
            result["faces"] = json["faces"]?.DeepClone() ?? new JsonArray();
        }

        return result;
    }

    /// <summary>The output's pattern with its MIME type as the final <c>t.toFormat</c>.</summary>
    public static string Pattern(SixPxOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var format = output.Format is { } f ? $"t.toFormat(f:{f})" : null;
        return (output.Pattern, format) switch
        {
            (_, null) => output.Pattern,
            ("original", _) => format,
            _ => output.Pattern + "~" + format,
        };
    }

    private JsonObject Processed(DateTimeOffset start, long download, long upload, JsonObject files, long bytes)
    {
        var end = time.GetUtcNow();
        return new JsonObject
        {
            ["duration"] = new JsonObject
            {
                ["start"] = SixPxJobView.Time(start),
                ["upload"] = upload,
                ["download"] = download,
                ["total"] = (long)(end - start).TotalMilliseconds,
                ["end"] = SixPxJobView.Time(end),
            },
            ["output"] = files,
            ["bytes"] = bytes,
        };
    }
}

/// <summary>What a 6px job keeps as its request: the body as sent and the CDN address its links start with.</summary>
public sealed record SixPxStoredRequest(JsonObject Body, string BaseUrl)
{
    public string Write() => new JsonObject { ["body"] = Body.DeepClone(), ["base"] = BaseUrl }.ToJsonString();

    public static SixPxStoredRequest Read(string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        return new SixPxStoredRequest(node["body"]!.AsObject(), node["base"]!.GetValue<string>());
    }
}
