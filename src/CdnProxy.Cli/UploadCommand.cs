using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using CdnProxy.Urls.Client.Uploads;
using Spectre.Console;

namespace CdnProxy.Cli;

/// <summary>
/// <c>cdnproxy upload &lt;file&gt; --server URL [--api-key K | $CDNPROXY_API_KEY] [--cloud C] [--path P] [--name N]
/// [--access private] [--tag T]… [--metadata JSON] [--overwrite] [--filename-override]</c>: sends a file through a
/// signed, chunked upload (<see cref="Uploader"/>) with a progress bar, and prints the stored file as JSON.
/// </summary>
internal static class UploadCommand
{
    /// <summary>The exit code for arguments refused before the server is asked (as the other commands' usage errors).</summary>
    public const int InvalidArgumentsExitCode = 2;

    /// <summary>The exit code for a failed upload (the server's 4xx/5xx, the network, a part failing after its retries, the file).</summary>
    public const int FailedExitCode = 3;

    /// <summary>The largest part, 1 GiB: each part in flight is held in memory.</summary>
    private const int MaxChunkSize = 1 << 30;

    private const int MaxConcurrency = 32;

    private const int MaxRetries = 10;

    /// <summary>How a refusal names a name given with --name; a blank one is refused here, though the server would pick one.</summary>
    private const string NameOption = "--name";

    /// <summary>How a refusal names the stored name when it is the file's own (no --name): the user never typed it.</summary>
    private const string FileNameSource = "the file's name (used without --name)";

    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "The image file to upload." };
        var server = new Option<string>("--server") { Description = "The CdnProxy server, e.g. https://img.example.com.", Required = true };
        var apiKey = new Option<string?>("--api-key") { Description = "An API key of the server (default: the CDNPROXY_API_KEY environment variable)." };
        var cloud = new Option<string?>("--cloud") { Description = "The cloud (default: the server's upload cloud)." };
        var zone = new Option<string?>("--zone") { Description = "The zone slug." };
        var path = new Option<string?>("--path") { Description = "The folder, e.g. products/shoes." };
        var name = new Option<string?>(NameOption) { Description = "The file name without extension (default: the file's, less an image extension)." };
        var access = new Option<string?>("--access") { Description = "public-read (default) or private." };
        var tags = new Option<string[]>("--tag") { Description = "A tag (repeat for more).", AllowMultipleArgumentsPerToken = false };
        var metadata = new Option<string?>("--metadata") { Description = "Metadata as a JSON object." };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace a file already at the path." };
        var filenameOverride = new Option<bool>("--filename-override") { Description = "When the path is taken, store under a new unique name." };
        var chunkSize = NumericOption.WholeNumber("--chunk-size", $"Bytes per part (1 to {MaxChunkSize}).", "10485760");
        chunkSize.DefaultValueFactory = _ => new UploadOptions().ChunkSize;
        var concurrency = NumericOption.WholeNumber("--concurrency", $"Parts in flight (1 to {MaxConcurrency}).", "3");
        concurrency.DefaultValueFactory = _ => new UploadOptions().Concurrency;
        var maxRetries = NumericOption.WholeNumber("--max-retries", $"Retries of a failed part (0 to {MaxRetries}).", "2");
        maxRetries.DefaultValueFactory = _ => new UploadOptions().MaxRetries;

        var command = new Command("upload", "Upload an image through a signed, chunked upload, with a progress bar.")
        {
            file, server, apiKey, cloud, zone, path, name, access, tags, metadata, overwrite, filenameOverride, chunkSize, concurrency, maxRetries,
        };

        command.SetAction((parseResult, cancellationToken) =>
        {
            var input = parseResult.GetRequiredValue(file);
            var arguments = new UploadArguments
            {
                Cloud = parseResult.GetValue(cloud),
                Zone = parseResult.GetValue(zone),
                Path = parseResult.GetValue(path),
                Name = parseResult.GetValue(name) ?? DefaultName(input.Name),
                Access = parseResult.GetValue(access),
                Tags = parseResult.GetValue(tags),
                Overwrite = parseResult.GetValue(overwrite),
                FilenameOverride = parseResult.GetValue(filenameOverride),
            };
            var options = new UploadOptions
            {
                ChunkSize = parseResult.GetValue(chunkSize),
                Concurrency = parseResult.GetValue(concurrency),
                MaxRetries = parseResult.GetValue(maxRetries),
            };
            var key = parseResult.GetValue(apiKey) ?? Environment.GetEnvironmentVariable("CDNPROXY_API_KEY");
            return RunAsync(
                input, parseResult.GetRequiredValue(server), key, arguments, parseResult.GetValue(metadata), options,
                parseResult.GetValue(name) is null ? FileNameSource : NameOption,
                parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken);
        });

        return command;
    }

    public static async Task<int> RunAsync(
        FileInfo file, string server, string? apiKey, UploadArguments arguments, string? metadata, UploadOptions options, string nameSource,
        TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        Uri serverUrl;
        try
        {
            // Checked here, before the server is asked for a signed upload; the uploader and the server check them only after.
            if (string.IsNullOrEmpty(apiKey))
            {
                throw new ArgumentException("An API key is needed: --api-key or CDNPROXY_API_KEY.");
            }

            if (BaseUrlOption.Refusal("--server", server, "https://img.example.com") is { } refusal)
            {
                throw new ArgumentException(refusal);
            }

            serverUrl = new Uri(server);
            if (Refusal(options, arguments, nameSource) is { } optionRefusal)
            {
                throw new ArgumentException(optionRefusal);
            }

            if (metadata is not null)
            {
                arguments = arguments with { Metadata = MetadataObject(metadata) };
            }
        }
        catch (ArgumentException exception)
        {
            await error.WriteLineAsync($"error: {ErrorText.Of(exception)}");
            return InvalidArgumentsExitCode;
        }

        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
            var uploader = new Uploader(http, serverUrl, apiKey);
            await using var stream = file.OpenRead();
            var uploaded = await ShowProgressAsync(file, (progress, token) => uploader.UploadAsync(stream, arguments, options, progress, token), error, cancellationToken);
            await output.WriteLineAsync(uploaded.Json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }
        catch (Exception exception) when (exception is UploadException or ArgumentException or HttpRequestException or IOException or JsonException)
        {
            await error.WriteLineAsync($"error: {ErrorText.Of(exception)}");
            return FailedExitCode;
        }
    }

    /// <summary>
    /// What is wrong with the options, naming the option and its range; null when they can be used. The upper bounds keep
    /// memory (about --concurrency × --chunk-size) and retries within reason.
    /// </summary>
    private static string? Refusal(UploadOptions options, UploadArguments arguments, string nameSource)
    {
        static string? OutOf(string option, int value, int least, int most) =>
            value < least || value > most ? $"--{option} must be a whole number from {least} to {most}; got {value}." : null;

        return OutOf("chunk-size", options.ChunkSize, 1, MaxChunkSize)
            ?? OutOf("concurrency", options.Concurrency, 1, MaxConcurrency)
            ?? OutOf("max-retries", options.MaxRetries, 0, MaxRetries)
            ?? (arguments.Access is null or "public-read" or "private" ? null : $"--access must be public-read or private; got '{arguments.Access}'.")
            ?? (nameSource == NameOption && string.IsNullOrWhiteSpace(arguments.Name)
                ? $"--name must not be empty (leave --name out to use the file's name); got '{arguments.Name}'."
                : UploadFieldRules.NameRefusal(arguments.Name, nameSource))
            ?? UploadFieldRules.TagsRefusal(arguments.Tags ?? [], "--tag");
    }

    /// <summary>
    /// The stored name of a file uploaded without --name: its own, less an image extension (the server then adds the
    /// format's), by the server's rule for a form upload's file name. Any other dot is part of the name
    /// (<c>IMG_2024.12.06</c>, <c>scan.v2</c>). A file named only by its extension (<c>.jpg</c>) gives no name: the
    /// server then picks one.
    /// </summary>
    private static string? DefaultName(string fileName) => UploadFieldRules.WithoutKnownExtension(fileName) is { Length: > 0 } name ? name : null;

    private static JsonObject MetadataObject(string metadata)
    {
        const string Expected = "--metadata must be a JSON object, e.g. {\"sku\":\"A-1\"}";
        try
        {
            return JsonNode.Parse(metadata) as JsonObject ?? throw new ArgumentException(Expected + ".");
        }
        catch (JsonException exception)
        {
            // The parser's own text ("Expected depth to be zero… BytePositionInLine") is for programmers.
            throw new ArgumentException($"{Expected}; it is not valid JSON.", exception);
        }
    }

    /// <summary>A progress bar on the error stream (so the JSON on standard output stays clean to pipe), when it is a terminal.</summary>
    private static async Task<UploadedFile> ShowProgressAsync(
        FileInfo file, Func<IProgress<UploadProgress>?, CancellationToken, Task<UploadedFile>> upload, TextWriter error, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(error) });
        if (!console.Profile.Capabilities.Interactive)
        {
            return await upload(null, cancellationToken);
        }

        UploadedFile? result = null;
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(file.Name, maxValue: Math.Max(1, file.Length));
                var progress = new Progress<UploadProgress>(p => task.Value = p.BytesSent);
                result = await upload(progress, cancellationToken);
                task.Value = task.MaxValue;
            });
        return result!;
    }
}
