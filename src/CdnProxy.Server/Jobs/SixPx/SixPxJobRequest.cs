using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CdnProxy.Core;

namespace CdnProxy.Server.Jobs.SixPx;

/// <summary>One input of a job: an http(s) URL (fetched under the SSRF policy), a data URI, or <c>cloud://cloud/path</c>.</summary>
public sealed record JobInput(string Name, JobInputKind Kind, string Text);

public enum JobInputKind
{
    Http,
    Data,
    Cloud,
}

/// <summary>One file an output makes: the input it renders and the file name (without extension) it is stored under.</summary>
public sealed record OutputFile(string Input, string Name);

/// <summary>One 6px output: a pattern (from <c>methods</c> or given), the format, its files and where they go (null: the jobs cloud).</summary>
public sealed record SixPxOutput(string Pattern, string? Format, IReadOnlyList<OutputFile> Files, JobDestination? Destination)
{
    /// <summary>The output's <c>analyze</c>, if it has one.</summary>
    public SixPxAnalysis? Analysis { get; init; }

    /// <summary>Only an analysis: no image step and no type, so no file is made.</summary>
    public bool AnalysisOnly => Analysis is not null && Pattern == "original" && Format is null;
}

/// <summary>
/// A 6px job request, validated before anything is stored or fetched: input names and sources, output methods or
/// pattern, MIME types, refs, destinations (s3://, cloud:// or a configured name), data and callback, within the
/// configured bounds.
/// </summary>
public sealed partial class SixPxJobRequest
{
    private static readonly Dictionary<string, string> Formats = new(StringComparer.OrdinalIgnoreCase)
    {
        ["image/jpeg"] = "jpeg", ["image/jpg"] = "jpeg", ["image/png"] = "png", ["image/gif"] = "gif", ["image/webp"] = "webp",
        ["image/avif"] = "avif", ["image/tiff"] = "tiff", ["image/bmp"] = "bmp",
    };

    /// <summary>
    /// Largest <c>data</c>, as JSON: it stays in the job's row and every poll, list and webhook repeats it (the body
    /// cap alone let 20 MB through, and a list of eleven such jobs took 2.6 GB).
    /// </summary>
    public const int MaxDataBytes = 64 * 1024;

    /// <summary>
    /// Largest request apart from its data URIs (stored apart when the job is created), in bytes of JSON: the rest stays
    /// in the job's row, which every poll, list and webhook reads. Fields it ignores, thousands of outputs without a
    /// file or a very long URL filled the body cap (34 MB) as well as <c>data</c> did.
    /// </summary>
    public const int MaxKeptBytes = 256 * 1024;

    private SixPxJobRequest(JsonObject body, IReadOnlyList<JobInput> inputs, IReadOnlyList<SixPxOutput> outputs, string? callbackUrl)
    {
        Body = body;
        Inputs = inputs;
        Outputs = outputs;
        CallbackUrl = callbackUrl;
    }

    /// <summary>The request as sent, kept with the job (the GET answer and the webhook repeat it).</summary>
    public JsonObject Body { get; }

    public IReadOnlyList<JobInput> Inputs { get; }

    public IReadOnlyList<SixPxOutput> Outputs { get; }

    public string? CallbackUrl { get; }

    /// <summary>Refuses (422) a request whose <paramref name="bodyBytes"/>, without its data URIs, pass <see cref="MaxKeptBytes"/>.</summary>
    public void EnsureKeptSize(long bodyBytes)
    {
        var kept = bodyBytes - Inputs.Where(i => i.Kind == JobInputKind.Data).Sum(i => (long)i.Text.Length);
        if (kept > MaxKeptBytes)
        {
            throw new CdnException(CdnErrorKind.LimitExceeded, $"A job is at most {MaxKeptBytes} bytes of JSON, not counting its data URIs");
        }
    }

    public static SixPxJobRequest Parse(JsonObject body, JobsOptions options)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            return ParseChecked(body, options);
        }
        catch (InvalidOperationException e)
        {
            // JsonValue.GetValue<string>() on a number (or the reverse): the field has the wrong JSON type.
            throw new CdnException(CdnErrorKind.InvalidArgument, "A field has the wrong JSON type (a string where a number is expected, or the reverse)", e);
        }
    }

    private static SixPxJobRequest ParseChecked(JsonObject body, JobsOptions options)
    {
        foreach (var (name, _) in body)
        {
            if (name is not ("input" or "output" or "data" or "callback"))
            {
                throw CdnException.InvalidArgument($"unknown field '{name}'");
            }
        }

        var inputs = ParseInputs(body["input"] as JsonObject ?? throw CdnException.InvalidArgument("input must be an object of names to image URLs"), options);
        var outputs = ParseOutputs(body["output"] as JsonArray ?? throw CdnException.InvalidArgument("output must be an array"), inputs, options);
        if (body["data"] is { } data && data.GetValueKind() != JsonValueKind.Object)
        {
            throw CdnException.InvalidArgument("data must be an object");
        }

        if (body["data"] is { } metadata && Encoding.UTF8.GetByteCount(metadata.ToJsonString()) > MaxDataBytes)
        {
            throw new CdnException(CdnErrorKind.LimitExceeded, $"data is at most {MaxDataBytes} bytes of JSON");
        }

        // A callback given in another shape was dropped without a word, and the caller waited for a webhook that never came.
        var callback = body["callback"] switch
        {
            null => null,
            JsonObject { } given when given["url"] is JsonValue url && url.GetValueKind() == JsonValueKind.String
                => JobCallback.Parse(url.GetValue<string>(), "callback.url", options),
            _ => throw CdnException.InvalidArgument("callback must be an object with a url: {\"url\":\"https://…\"}"),
        };

        return new SixPxJobRequest(body, inputs, outputs, callback);
    }

    private static List<JobInput> ParseInputs(JsonObject input, JobsOptions options)
    {
        if (input.Count == 0 || input.Count > options.MaxInputs)
        {
            throw new CdnException(CdnErrorKind.LimitExceeded, $"a job has 1 to {options.MaxInputs} inputs");
        }

        var inputs = new List<JobInput>();
        foreach (var (name, value) in input)
        {
            if (!InputName().IsMatch(name))
            {
                throw CdnException.InvalidArgument("input names are 1-64 letters, digits, '-' or '_'");
            }

            var text = value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw CdnException.InvalidArgument($"input '{name}' must be a string");
            inputs.Add(new JobInput(name, KindOf(name, text, options), text));
        }

        return inputs;
    }

    /// <summary>What kind of source an input is (its size checked when a data URI); 400 for anything else.</summary>
    internal static JobInputKind KindOf(string name, string text, JobsOptions options)
    {
        if (text.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            // A data URI without ;base64, was refused as too large (422), whatever its size.
            if (!text.Contains(";base64,", StringComparison.OrdinalIgnoreCase))
            {
                throw CdnException.InvalidArgument($"input '{name}': a data URI is base64 (data:image/…;base64,…)");
            }

            // base64 is 4/3 of the bytes: a data URI bigger than that cannot fit the cap.
            if ((text.Length - text.IndexOf(',', StringComparison.Ordinal)) * 3L / 4 > options.MaxInputBytes)
            {
                throw new CdnException(CdnErrorKind.SourceTooLarge, $"input '{name}': a base64 data URI of at most {options.MaxInputBytes} bytes");
            }

            return JobInputKind.Data;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.UserInfo.Length > 0)
        {
            throw CdnException.InvalidArgument($"input '{name}' must be an http(s) URL, a data URI or cloud://cloud/path");
        }

        if (uri.Scheme is "http" or "https")
        {
            // Refused now rather than failing the job when it runs.
            JobAddresses.ThrowIfWrittenAddressRefused(uri, $"input '{name}'", options);
        }

        return uri.Scheme switch
        {
            "http" or "https" => JobInputKind.Http,
            "cloud" when uri.AbsolutePath.Trim('/').Length > 0 => JobInputKind.Cloud,
            _ => throw CdnException.InvalidArgument($"input '{name}' must be an http(s) URL, a data URI or cloud://cloud/path"),
        };
    }

    private static List<SixPxOutput> ParseOutputs(JsonArray output, List<JobInput> inputs, JobsOptions options)
    {
        var outputs = new List<SixPxOutput>();
        var files = 0;
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < output.Count; i++)
        {
            if (output[i] is not JsonObject item)
            {
                throw CdnException.InvalidArgument("every output is an object");
            }

            var pattern = (item["methods"], item["pattern"]) switch
            {
                (JsonArray methods, null) => SixPxMethods.ToPattern(methods),
                (null, JsonValue given) when given.GetValueKind() == JsonValueKind.String => given.GetValue<string>(),
                (null, null) => "original",
                _ => throw CdnException.InvalidArgument("an output has methods (an array) or a pattern (a string), not both"),
            };
            string? format = null;
            if (item["type"] is JsonValue type)
            {
                format = Formats.GetValueOrDefault(type.GetValue<string>()) ?? throw CdnException.InvalidArgument($"type must be one of {string.Join(", ", Formats.Keys)}");
            }

            var refs = item["ref"] as JsonObject;
            var outputFiles = new List<OutputFile>();
            foreach (var (input, value) in refs ?? new JsonObject(inputs.Select(x => KeyValuePair.Create(x.Name, (JsonNode?)JsonValue.Create(false)))))
            {
                if (!inputs.Any(x => x.Name == input))
                {
                    throw CdnException.InvalidArgument($"ref '{input}' names no input");
                }

                var name = value switch
                {
                    JsonValue v when v.GetValueKind() == JsonValueKind.String => FileName(v.GetValue<string>()),
                    JsonValue v when v.GetValueKind() == JsonValueKind.False => $"{input}-{i + 1}",
                    _ => throw CdnException.InvalidArgument("a ref's value is a file name or false"),
                };
                if (!names.Add(name))
                {
                    throw CdnException.InvalidArgument($"two outputs would both be named '{name}'");
                }

                outputFiles.Add(new OutputFile(input, name));
            }

            files += outputFiles.Count;
            var destination = item["url"] is JsonValue url ? Destination(url.GetValue<string>(), options) : null;
            outputs.Add(new SixPxOutput(pattern, format, outputFiles, destination)
            {
                Analysis = item["methods"] is JsonArray analysed ? SixPxMethods.Analysis(analysed) : null,
            });
        }

        if (outputs.Count == 0 || files == 0 || files > options.MaxOutputs)
        {
            throw new CdnException(CdnErrorKind.LimitExceeded, $"a job makes 1 to {options.MaxOutputs} output files");
        }

        return outputs;
    }

    private static string FileName(string name)
    {
        var stem = Path.GetFileNameWithoutExtension(name);
        return FileStem().IsMatch(stem) ? stem : throw CdnException.InvalidArgument("an output file name is 1-100 letters, digits, '.', '-' or '_', not opening with '.'");
    }

    private static JobDestination Destination(string url, JobsOptions options)
    {
        if (options.Destinations.TryGetValue(url, out var named))
        {
            url = named;
        }

        return JobDestination.TryParse(url, out var destination) is { } problem
            ? throw CdnException.InvalidArgument("url: " + problem + ", or a destination name configured on the server")
            : destination!;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex InputName();

    // Not opening with '.': "." and ".." passed here and failed the job when it ran (not a plain file name).
    [GeneratedRegex("^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$")]
    private static partial Regex FileStem();
}
