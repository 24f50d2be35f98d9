using System.CommandLine;
using CdnProxy.Urls.Client;

namespace CdnProxy.Cli;

/// <summary><c>cdnproxy build …</c>: builds a URL from its parts as the Pixelbin SDK's <c>objToUrl</c> does.</summary>
internal static class BuildCommand
{
    /// <summary>The exit code for parts that do not make a valid URL.</summary>
    public const int InvalidInputExitCode = 2;

    public static Command Create()
    {
        var cloud = new Option<string?>("--cloud") { Description = "Cloud name (not allowed with --custom-domain)." };
        var zone = new Option<string?>("--zone") { Description = "Zone slug (6 characters; others are dropped, as the SDK does)." };
        var version = new Option<string?>("--version") { Description = "v1 or v2 (anything else becomes v2)." };
        var pattern = new Option<string?>("--pattern") { Description = "A whole pattern, e.g. t.resize(w:100)~t.flip()." };
        var transformation = new Option<string[]>("--transformation", "-t")
        {
            Description = "One operation, e.g. t.resize(w:100); repeat to chain (appended after --pattern).",
        };
        var filePath = new Option<string?>("--file-path")
        {
            Description = "File path after the pattern, as URL path text: ? # and a stray % are escaped, %XX escapes kept.",
        };
        var baseUrl = new Option<string?>("--base-url") { Description = "Origin, default " + PixelbinUrlObject.DefaultBaseUrl + "." };
        var customDomain = new Option<bool>("--custom-domain") { Description = "Build a custom-domain URL (no cloud segment)." };
        var workerPath = new Option<string?>("--worker-path") { Description = "Build a wrkr URL with this worker path." };
        var dpr = new Option<string?>("--dpr") { Description = "Device pixel ratio 0.1–5 or auto." };
        var fAuto = new Option<bool>("--f-auto") { Description = "Add f_auto=true." };

        var command = new Command("build", "Build a Pixelbin-style URL as the Pixelbin SDK's objToUrl does.")
        {
            cloud, zone, version, pattern, transformation, filePath, baseUrl, customDomain, workerPath, dpr, fAuto,
        };

        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            try
            {
                var ops = new List<string>();
                if (parseResult.GetValue(pattern) is { Length: > 0 } text && text != "original")
                {
                    ops.Add(text);
                }

                ops.AddRange(parseResult.GetValue(transformation) ?? []);
                var obj = new PixelbinUrlObject
                {
                    CloudName = parseResult.GetValue(cloud),
                    Zone = parseResult.GetValue(zone),
                    Version = parseResult.GetValue(version),
                    FilePath = parseResult.GetValue(filePath),
                    BaseUrl = parseResult.GetValue(baseUrl) ?? PixelbinUrlObject.DefaultBaseUrl,
                    IsCustomDomain = parseResult.GetValue(customDomain),
                    WorkerPath = parseResult.GetValue(workerPath),
                    Worker = parseResult.GetValue(workerPath) is not null,
                    Transformations = ops.Count == 0 ? [] : PixelbinUrls.PatternToTransformations(string.Join('~', ops)),
                    Options = new PixelbinUrlOptions
                    {
                        Dpr = parseResult.GetValue(dpr) is { } d ? PixelbinDpr.Parse(d) : null,
                        FAuto = parseResult.GetValue(fAuto) ? true : null,
                    },
                };
                output.WriteLine(PixelbinUrls.ObjToUrl(obj));
                return 0;
            }
            catch (PixelbinUrlException exception)
            {
                error.WriteLine($"error: {exception.Message}");
                return InvalidInputExitCode;
            }
        });

        return command;
    }
}
