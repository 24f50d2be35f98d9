using System.CommandLine;
using System.Globalization;
using CdnProxy.Cli.Warm;
using Spectre.Console;

namespace CdnProxy.Cli;

/// <summary>
/// <c>cdnproxy warm FILE|-</c> (URLs one per line, or a sitemap), or <c>--files F --base URL</c> with
/// <c>--patterns P</c> or <c>--srcset "t.resize(w:{w})" --widths 320,640</c>: requests every URL with bounded
/// concurrency and retries (each signed with <c>--access-key</c>), shows progress and a summary, writes a <c>--json</c>
/// report; exit code 1 if any failed.
/// </summary>
public static class WarmCommand
{
    public const int FailedExitCode = 1;
    public const int InvalidArgumentsExitCode = 2;

    /// <summary>The environment variable that may hold the signing token instead of <c>--token</c>.</summary>
    public const string TokenVariable = "CDNPROXY_SIGNING_TOKEN";

    public static Command Create()
    {
        var source = new Argument<string?>("source")
        {
            Description = "A file of URLs (one per line, # comments) or a sitemap; - reads standard input. Not needed with --files.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var files = new Option<FileInfo?>("--files") { Description = "File paths (one per line), crossed with --patterns or --srcset." };
        var patterns = new Option<FileInfo?>("--patterns") { Description = "Patterns (one per line, e.g. t.resize(w:300)~t.toFormat(f:webp))." };
        var srcset = new Option<string?>("--srcset") { Description = "A pattern with {w}, crossed with --widths." };
        var widths = new Option<string?>("--widths") { Description = "Widths for --srcset, e.g. 320,640,960,1280." };
        var baseUrl = new Option<string?>("--base") { Description = "The URL the patterns follow, e.g. https://cdn.example.com/v2/demo." };
        var concurrency = NumericOption.WholeNumber("--concurrency", "Requests at once (1-256).", "8");
        concurrency.DefaultValueFactory = _ => 8;
        var retries = NumericOption.WholeNumber("--retries", "Retries for 408, 429, 5xx and network errors (0-10).", "3");
        retries.DefaultValueFactory = _ => 3;
        var timeout = NumericOption.Number("--timeout", $"Seconds one request may take (at most {WarmOptions.MaxRequestTimeout.TotalSeconds}).", "60");
        timeout.DefaultValueFactory = _ => 60;
        var json = new Option<string?>("--json") { Description = "Write a JSON report to this file (- for standard output)." };
        var accessKey = new Option<string?>("--access-key")
        {
            Description = "Sign every request with this key (pbt), for clouds that require signed URLs; the token comes from --token or " + TokenVariable + ".",
        };
        var token = new Option<string?>("--token") { Description = "The signing token (the HMAC secret); " + TokenVariable + " keeps it off the command line." };
        var expirySeconds = NumericOption.Number("--expiry-seconds", "Lifetime of each signed request, in whole seconds.", "300");
        expirySeconds.DefaultValueFactory = _ => WarmSigning.DefaultExpirySeconds;

        var command = new Command("warm", "Request URLs so the CDN renders and caches them, with progress, retries and a report.")
        {
            source, files, patterns, srcset, widths, baseUrl, concurrency, retries, timeout, json, accessKey, token, expirySeconds,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var request = new WarmRequest(
                parseResult.GetValue(source), parseResult.GetValue(files), parseResult.GetValue(patterns), parseResult.GetValue(srcset),
                parseResult.GetValue(widths), parseResult.GetValue(baseUrl), parseResult.GetValue(json));
            var options = new WarmOptions
            {
                Concurrency = parseResult.GetValue(concurrency),
                Retries = parseResult.GetValue(retries),
                RequestTimeout = RequestTimeout(parseResult.GetValue(timeout)),
                Signing = Signing(
                    parseResult.GetValue(accessKey),
                    parseResult.GetValue(token),
                    Environment.GetEnvironmentVariable(TokenVariable),
                    parseResult.GetValue(expirySeconds)),
            };
            using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            return await RunAsync(request, options, http, Console.In, parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken);
        });
        return command;
    }

    public static async Task<int> RunAsync(
        WarmRequest request, WarmOptions options, HttpClient http, TextReader input, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        List<string> urls;
        try
        {
            options.Validate();
            urls = await request.TargetsAsync(input, http, options.RequestTimeout, cancellationToken);
            if (urls.Count == 0)
            {
                throw new ArgumentException("no URL to warm");
            }
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"error: {ErrorText.Of(e)}");
            return InvalidArgumentsExitCode;
        }

        // Said before anything is requested; they count as failures (0 attempts) in the report.
        foreach (var invalid in urls.Where(u => !WarmTargets.IsRequestable(u)).Take(20))
        {
            await error.WriteLineAsync($"invalid: {invalid} (not an absolute http(s) URL)");
        }

        var warmer = new Warmer(http, options, TimeProvider.System);
        var results = await WithProgressAsync(urls.Count, progress => warmer.WarmAsync(urls, progress, cancellationToken), error);
        var report = new WarmReport(results);
        // The summary goes where the JSON does not: standard output stays a clean JSON document with --json -.
        var summaryWriter = request.Json == "-" ? error : output;
        WriteSummary(report, summaryWriter);
        if (request.Json == "-")
        {
            await output.WriteLineAsync(report.ToJson());
        }
        else if (request.Json is { } path)
        {
            try
            {
                await File.WriteAllTextAsync(path, report.ToJson(), cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The warm-up itself is done (and summarised above); only the report is missing.
                await error.WriteLineAsync($"error: --json: the report could not be written to {path}: {e.Message}");
                return FailedExitCode;
            }
        }

        return report.Failed == 0 ? 0 : FailedExitCode;
    }

    /// <summary>
    /// Signing is on when an access key is given; its token comes from <c>--token</c>, else the environment. A token
    /// without a key is a mistake, reported by <see cref="WarmSigning.Validate"/>; an exported variable alone is not.
    /// </summary>
    public static WarmSigning? Signing(string? accessKey, string? token, string? environmentToken, double expirySeconds) =>
        accessKey is null && token is null
            ? null
            : new WarmSigning(accessKey ?? string.Empty, token ?? environmentToken ?? string.Empty, expirySeconds);

    /// <summary>
    /// <c>--timeout</c> as a <see cref="TimeSpan"/>. A number no TimeSpan holds (1e300, NaN) becomes the longest one, so
    /// <see cref="WarmOptions.Validate"/> refuses it with the option's range instead of an overflow.
    /// </summary>
    public static TimeSpan RequestTimeout(double seconds) =>
        seconds <= 0 ? TimeSpan.Zero
        : seconds <= WarmOptions.MaxRequestTimeout.TotalSeconds ? TimeSpan.FromSeconds(seconds)
        : TimeSpan.MaxValue;

    /// <summary>A progress bar on the error stream when it is a terminal; otherwise nothing until the summary.</summary>
    private static async Task<IReadOnlyList<WarmResult>> WithProgressAsync(
        int total, Func<IProgress<WarmResult>?, Task<IReadOnlyList<WarmResult>>> warm, TextWriter error)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(error) });
        if (!console.Profile.Capabilities.Interactive)
        {
            // Not a terminal (CI logs, pipes): a plain line at every tenth of the way.
            var done = 0;
            var failed = 0;
            var step = Math.Max(1, total / 10);
            return await warm(new SynchronousProgress(result =>
            {
                var failures = result.Succeeded ? Volatile.Read(ref failed) : Interlocked.Increment(ref failed);
                var count = Interlocked.Increment(ref done);
                if (count % step == 0 || count == total)
                {
                    lock (error)
                    {
                        error.WriteLine($"warmed {count}/{total} ({failures} failed)");
                    }
                }
            }));
        }

        IReadOnlyList<WarmResult>? results = null;
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"warming {total} URLs", maxValue: total);
                var progress = new SynchronousProgress(_ => task.Increment(1));
                results = await warm(progress);
            });
        return results!;
    }

    private static void WriteSummary(WarmReport report, TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        var table = new Table().AddColumn("warmed").AddColumn("failed").AddColumn("p50 ms").AddColumn("p95 ms").AddColumn("bytes").AddColumn("hit / miss / ?").AddColumn("retried");
        string N(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
        table.AddRow(
            $"{report.Succeeded}/{report.Total}", report.Failed.ToString(CultureInfo.InvariantCulture), N(report.Percentile(50)), N(report.Percentile(95)),
            report.Bytes.ToString(CultureInfo.InvariantCulture), $"{report.Hits} / {report.Misses} / {report.Total - report.Hits - report.Misses}",
            report.Retried.ToString(CultureInfo.InvariantCulture));
        console.Write(table);
        foreach (var failure in report.Results.Where(r => !r.Succeeded).Take(20))
        {
            // Plain lines, not the console's: a URL must not be wrapped at the terminal's width.
            writer.WriteLine($"failed: {failure.Url} ({failure.Error ?? "HTTP " + failure.Status}, {failure.Attempts} attempt(s))");
        }
    }

    /// <summary>Reports on the caller's thread (<see cref="Progress{T}"/> would post to the thread pool, out of order).</summary>
    private sealed class SynchronousProgress(Action<WarmResult> report) : IProgress<WarmResult>
    {
        public void Report(WarmResult value) => report(value);
    }
}

/// <summary>Where the URLs come from, as given on the command line.</summary>
public sealed record WarmRequest(string? Source, FileInfo? Files, FileInfo? Patterns, string? Srcset, string? Widths, string? BaseUrl, string? Json)
{
    /// <summary>What a sitemap source may come to (the same bound applies to a file of URLs).</summary>
    public SitemapLimits Sitemaps { get; init; } = new();

    public async Task<List<string>> TargetsAsync(TextReader input, HttpClient http, TimeSpan sitemapFetchTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (Conflict() is { } conflict)
        {
            throw new ArgumentException(conflict);
        }

        if (Files is null)
        {
            if (Source is null)
            {
                throw new ArgumentException("give a file of URLs (or - for standard input), or --files with --patterns or --srcset");
            }

            var sitemaps = new SitemapReader(http, Sitemaps, sitemapFetchTimeout);
            const string StandardInput = "(standard input)";
            var (name, text) = Source == "-"
                ? (StandardInput, await sitemaps.ReadTextAsync(StandardInput, input, cancellationToken))
                : (Source, await ReadFileAsync(sitemaps, Source, cancellationToken));
            return SitemapReader.IsSitemap(text) ? await sitemaps.ReadAsync(name, text, cancellationToken) : WarmTargets.Lines(text);
        }

        const string BaseExample = "https://cdn.example.com/v2/demo";
        if (BaseUrl is null)
        {
            throw new ArgumentException($"--files needs --base, an absolute http(s) URL such as {BaseExample}");
        }

        if (BaseUrlOption.Refusal("--base", BaseUrl, BaseExample) is { } refusal)
        {
            throw new ArgumentException(refusal);
        }

        var root = new Uri(BaseUrl);
        var lists = new SitemapReader(http, Sitemaps, sitemapFetchTimeout);
        var paths = WarmTargets.Lines(await ReadFileAsync(lists, Files.FullName, cancellationToken));
        return (Patterns, Srcset) switch
        {
            ({ } patterns, null) => WarmTargets.Product(root, WarmTargets.Lines(await ReadFileAsync(lists, patterns.FullName, cancellationToken)), paths),
            (null, { } template) => WarmTargets.Srcset(root, template, WarmTargets.Widths(Widths ?? throw new ArgumentException("--srcset needs --widths")), paths),
            _ => throw new ArgumentException("--files goes with --patterns or --srcset (one of them)"),
        };
    }

    private static async Task<string> ReadFileAsync(SitemapReader reader, string path, CancellationToken cancellationToken)
    {
        var file = File.OpenRead(path);
        await using (file)
        {
            return await reader.ReadTextAsync(path, file, cancellationToken);
        }
    }

    /// <summary>
    /// Options that the chosen source would ignore, or that would fail only after the warm-up: each of them is a mistake
    /// the user should hear about before anything is requested.
    /// </summary>
    private string? Conflict()
    {
        if (Files is not null && Source is not null)
        {
            return "give a file of URLs or --files, not both";
        }

        if (Files is null && (Patterns, Srcset, Widths, BaseUrl) is not (null, null, null, null))
        {
            return "--patterns, --srcset, --widths and --base go with --files; a file of URLs is requested as it is";
        }

        if (Widths is not null && Srcset is null)
        {
            return "--widths goes with --srcset";
        }

        // Found out only after every URL was requested, the report would be lost (and the error a stack trace).
        return Json is not (null or "-") && Path.GetDirectoryName(Path.GetFullPath(Json)) is { } folder && !Directory.Exists(folder)
            ? $"--json: the folder {folder} does not exist"
            : null;
    }
}
