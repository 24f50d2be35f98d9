using System.CommandLine;
using CdnProxy.Urls.Client;
using CdnProxy.Urls.Grammar;
using CdnProxy.Urls.Paths;

namespace CdnProxy.Cli;

/// <summary>
/// <c>cdnproxy build …</c>: builds a URL from its parts as the Pixelbin SDK's <c>objToUrl</c> does, refusing a pattern
/// the server would refuse (by default a CdnProxy server's operations and ranges; <c>--catalog</c>, <c>--any-operation</c>).
/// </summary>
internal static class BuildCommand
{
    /// <summary>The exit code for parts that do not make a valid URL.</summary>
    public const int InvalidInputExitCode = 2;

    private const string BaseUrlExample = "https://cdn.example.com or https://example.com/images";

    public static Command Create()
    {
        var cloud = new Option<string?>("--cloud") { Description = "Cloud name (not allowed with --custom-domain)." };
        var zone = new Option<string?>("--zone") { Description = "Zone slug: 6 letters, digits, '-' or '_'." };
        var version = new Option<string?>("--version") { Description = "v1 or v2 (default v2)." };
        var pattern = new Option<string?>("--pattern") { Description = "A whole pattern, e.g. t.resize(w:100)~t.flip()." };
        var transformation = new Option<string[]>("--transformation", "-t")
        {
            Description = "One operation, e.g. t.resize(w:100); repeat to chain (appended after --pattern).",
        };
        var filePath = new Option<string?>("--file-path")
        {
            Description = "File path after the pattern, as URL path text: ? # and a stray % are escaped, %XX escapes kept (but not %2F: write / or %252F).",
        };
        var baseUrl = new Option<string?>("--base-url")
        {
            Description = "Where the URL starts: an absolute http(s) URL, a path prefix allowed, default " + PixelbinUrlObject.DefaultBaseUrl + ".",
        };
        var customDomain = new Option<bool>("--custom-domain") { Description = "Build a custom-domain URL (no cloud segment)." };
        var workerPath = new Option<string?>("--worker-path") { Description = "Build a wrkr URL with this worker path (a ? starts the worker's own query)." };
        var dpr = new Option<string?>("--dpr") { Description = "Device pixel ratio 0.1–5 or auto." };
        var fAuto = new Option<bool>("--f-auto") { Description = "Add f_auto=true." };
        var catalog = new Option<FileInfo?>("--catalog")
        {
            Description = "Check the operations against this server's catalogue (the JSON of GET /api/v1/catalog) instead of a CdnProxy server with the default configuration.",
        };
        var anyOperation = new Option<bool>("--any-operation")
        {
            Description = "Check the pattern's limits and grammar only, allowing any operation and argument (for a URL meant for another Pixelbin-style server).",
        };

        var command = new Command("build", "Build a Pixelbin-style URL as the Pixelbin SDK's objToUrl does.")
        {
            cloud, zone, version, pattern, transformation, filePath, baseUrl, customDomain, workerPath, dpr, fAuto, catalog, anyOperation,
        };

        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var refusal = Refusal(
                parseResult.GetValue(baseUrl), parseResult.GetValue(zone), parseResult.GetValue(version), parseResult.GetValue(dpr),
                worker: parseResult.GetValue(workerPath) is not null,
                withPattern: parseResult.GetValue(pattern) is not null || parseResult.GetValue(transformation) is { Length: > 0 } || parseResult.GetValue(filePath) is not null);
            refusal ??= parseResult.GetValue(catalog) is not null && parseResult.GetValue(anyOperation)
                ? "--catalog checks the operations against a server's catalogue and --any-operation does not check them: give one of them"
                : null;
            if (refusal is not null)
            {
                error.WriteLine($"error: {refusal}");
                return InvalidInputExitCode;
            }

            try
            {
                var ops = new List<string>();
                if (parseResult.GetValue(pattern) is { Length: > 0 } text && text != "original")
                {
                    ops.Add(text);
                }

                ops.AddRange(parseResult.GetValue(transformation) ?? []);
                var rules = Rules(parseResult.GetValue(catalog), parseResult.GetValue(anyOperation), parseResult.GetValue(baseUrl) ?? PixelbinUrlObject.DefaultBaseUrl);
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
                    Transformations = ops.Count == 0 ? [] : Operations(string.Join('~', ops), rules.Limits),
                    Options = new PixelbinUrlOptions
                    {
                        Dpr = parseResult.GetValue(dpr) is { } d ? PixelbinDpr.Parse(d) : null,
                        FAuto = parseResult.GetValue(fAuto) ? true : null,
                    },
                };
                output.WriteLine(PixelbinUrls.ObjToUrl(obj, rules));
                return 0;
            }
            catch (PixelbinUrlException exception)
            {
                error.WriteLine($"error: {exception.Message}");
                return InvalidInputExitCode;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
            {
                error.WriteLine($"error: --catalog '{parseResult.GetValue(catalog)}' cannot be used: {exception.Message}");
                return InvalidInputExitCode;
            }
        });

        return command;
    }

    /// <summary>What the URL's server accepts: a default CdnProxy server's operations unless told otherwise.</summary>
    private static PatternRules Rules(FileInfo? catalog, bool anyOperation, string baseUrl) =>
        catalog is not null ? PatternRules.FromCatalog(File.ReadAllText(catalog.FullName))
        : anyOperation ? PatternRules.AnyOperation
        : PatternRules.ForBaseUrl(baseUrl);

    /// <summary>
    /// The operations of --pattern and --transformation, when the server's grammar reads them: the SDK's lenient reader,
    /// which builds the object, would otherwise drop what it cannot place (<c>w:1:2</c> becomes <c>w:1</c>, a missing
    /// <c>)</c> is added) and build a URL for other values than those written.
    /// </summary>
    private static IReadOnlyList<PixelbinTransformation> Operations(string pattern, PatternLimits limits)
    {
        if (!PatternGrammar.TryParse(pattern, limits, out _, out var problem))
        {
            throw new PixelbinUrlException(
                PixelbinErrorKind.IllegalArgument,
                $"--pattern and --transformation take operations the server reads, such as t.resize(w:100) or p:preset, joined by ~; in '{pattern}': {problem.Message}");
        }

        return PixelbinUrls.PatternToTransformations(pattern);
    }

    /// <summary>
    /// What is wrong with the options, in their terms; null when they make a URL. The SDK's objToUrl drops a zone that is
    /// not a slug and turns an unknown version into v2 without a word: on the command line that is a typo to report.
    /// </summary>
    private static string? Refusal(string? baseUrl, string? zone, string? version, string? dpr, bool worker, bool withPattern)
    {
        if (baseUrl is not null && BaseUrlOption.Refusal("--base-url", baseUrl, BaseUrlExample) is { } baseUrlRefusal)
        {
            return baseUrlRefusal;
        }

        if (zone is not null && !CdnUrlSplitter.IsZoneSlug(zone))
        {
            return $"--zone must be a zone slug, 6 letters, digits, '-' or '_', e.g. z-slug; got '{zone}'";
        }

        if (version is not (null or "v1" or "v2"))
        {
            return $"--version must be v1 or v2; got '{version}'";
        }

        if (dpr is not null && !(PixelbinDpr.TryParse(dpr, out var ratio) && ratio.IsInRange))
        {
            return $"--dpr must be auto or a number from 0.1 to 5, e.g. 2; got '{dpr}'";
        }

        return worker && withPattern
            ? "--worker-path builds a wrkr URL, which has no pattern or file path: leave out --pattern, --transformation and --file-path"
            : null;
    }
}
