using CdnProxy.Cli.Tests.Warm;
using CdnProxy.Cli.Warm;

namespace CdnProxy.Cli.Tests;

/// <summary>The commands other than <c>sign</c> (<see cref="SignCommandTests"/>) say what is wrong in the options' terms.</summary>
public sealed class OptionErrorTests
{
    [Theory]
    [InlineData("warm", "--concurrency", "many", "--concurrency must be a whole number, e.g. 8; got 'many'.")]
    [InlineData("warm", "--retries", "2.5", "--retries must be a whole number, e.g. 3; got '2.5'.")]
    [InlineData("warm", "--timeout", "1m", "--timeout must be a number, e.g. 60; got '1m'.")]
    [InlineData("warm", "--expiry-seconds", "later", "--expiry-seconds must be a number, e.g. 300; got 'later'.")]
    [InlineData("upload", "--chunk-size", "10MB", "--chunk-size must be a whole number, e.g. 10485760; got '10MB'.")]
    [InlineData("upload", "--concurrency", "x", "--concurrency must be a whole number, e.g. 3; got 'x'.")]
    [InlineData("upload", "--max-retries", "", "--max-retries must be a whole number, e.g. 2; got ''.")]
    public void ValueNotANumber_IsAUsageErrorNamingTheOption(string command, string option, string value, string message)
    {
        var (exit, _, error) = command == "warm"
            ? CommandLine.Run(WarmCommand.Create(), "-", option, value)
            : CommandLine.Run(UploadCommand.Create(), "a.jpg", "--server", "http://127.0.0.1:1", "--api-key", "k", option, value);

        Assert.Equal(1, exit);
        Assert.Equal(message, error.Trim());
    }

    [Theory]
    [InlineData("--timeout", "1e300", "error: --timeout must be more than 0 and at most 3600 seconds")]
    [InlineData("--timeout", "NaN", "error: --timeout must be more than 0 and at most 3600 seconds")]
    [InlineData("--expiry-seconds", "1e300", "error: --expiry-seconds must be a whole number of seconds from 1 to 3155760000 (100 years); got 1E+300")]
    [InlineData("--expiry-seconds", "-5", "error: --expiry-seconds must be a whole number of seconds from 1 to 3155760000 (100 years); got -5")]
    [InlineData("--concurrency", "0", "error: --concurrency must be a whole number from 1 to 256; got 0")]
    [InlineData("--concurrency", "-3", "error: --concurrency must be a whole number from 1 to 256; got -3")]
    [InlineData("--concurrency", "257", "error: --concurrency must be a whole number from 1 to 256; got 257")]
    [InlineData("--retries", "-1", "error: --retries must be a whole number from 0 to 10; got -1")]
    [InlineData("--retries", "11", "error: --retries must be a whole number from 0 to 10; got 11")]
    public void Warm_ValueOutOfRange_IsRefusedBeforeAnyRequest(string option, string value, string message)
    {
        var (exit, output, error) = CommandLine.Run(
            WarmCommand.Create(), "--files", "paths.txt", "--base", "http://127.0.0.1:1/v2/demo", "--srcset", "t.resize(w:{w})", "--widths", "320",
            "--access-key", "k", "--token", "t", option, value);

        Assert.Equal((WarmCommand.InvalidArgumentsExitCode, string.Empty), (exit, output));
        Assert.Equal(message, error.TrimEnd());
    }

    [Theory]
    [InlineData("error: give a file of URLs or --files, not both", "urls.txt", "--files", "paths.txt", "--srcset", "t.resize(w:{w})", "--widths", "320", "--base", "http://127.0.0.1:1/v2/demo")]
    [InlineData("error: --patterns, --srcset, --widths and --base go with --files; a file of URLs is requested as it is", "urls.txt", "--patterns", "patterns.txt")]
    [InlineData("error: --patterns, --srcset, --widths and --base go with --files; a file of URLs is requested as it is", "urls.txt", "--base", "http://127.0.0.1:1/v2/demo")]
    [InlineData("error: --widths goes with --srcset", "--files", "paths.txt", "--patterns", "patterns.txt", "--widths", "320", "--base", "http://127.0.0.1:1/v2/demo")]
    [InlineData("error: --base must not have a query or fragment ('?…' or '#…'): the paths are appended after it; got 'http://127.0.0.1:1/v2/demo?x=1'", "--files", "paths.txt", "--patterns", "patterns.txt", "--base", "http://127.0.0.1:1/v2/demo?x=1")]
    [InlineData("error: --base must not carry a user name or password (user@host): it would be written into every URL; got 'http://u:p@127.0.0.1:1/v2/demo'", "--files", "paths.txt", "--patterns", "patterns.txt", "--base", "http://u:p@127.0.0.1:1/v2/demo")]
    [InlineData("error: --json: the folder /nonexistent-cdnproxy-folder does not exist", "urls.txt", "--json", "/nonexistent-cdnproxy-folder/report.json")]
    public void Warm_OptionsTheSourceWouldIgnoreOrMisuse_AreRefused(string message, params string[] arguments)
    {
        // None of the files exists: the options are refused before any is read.
        var (exit, output, error) = CommandLine.Run(WarmCommand.Create(), arguments);

        Assert.Equal((WarmCommand.InvalidArgumentsExitCode, string.Empty, message), (exit, output, error.TrimEnd()));
    }

    [Fact]
    public async Task Warm_ReportThatCannotBeWritten_IsSaidInALine_AfterTheWarmUp()
    {
        var folder = Directory.CreateTempSubdirectory("cdnproxy-report-").FullName;
        try
        {
            // The report's path is a folder: it can be checked only by writing.
            using var http = new HttpClient(Answering.Of(_ => new HttpResponseMessage(System.Net.HttpStatusCode.OK)));
            using var error = new StringWriter();
            var exit = await WarmCommand.RunAsync(
                new WarmRequest("-", null, null, null, null, null, folder), new WarmOptions(), http, new StringReader("https://cdn/a.jpg"), TextWriter.Null, error, default);

            Assert.Equal(WarmCommand.FailedExitCode, exit);
            Assert.StartsWith($"error: --json: the report could not be written to {folder}: ", error.ToString().TrimEnd().Split('\n')[^1], StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder);
        }
    }

    [Fact]
    public void Warm_WidthThatIsNotAWholeNumber_IsRefusedNamingWidths()
    {
        var paths = Path.GetTempFileName();
        try
        {
            File.WriteAllText(paths, "a.jpg\n");
            var (exit, _, error) = CommandLine.Run(
                WarmCommand.Create(), "--files", paths, "--srcset", "t.resize(w:{w})", "--widths", "320,abc", "--base", "http://127.0.0.1:1/v2/demo");

            Assert.Equal(WarmCommand.InvalidArgumentsExitCode, exit);
            Assert.Equal("error: --widths must be whole numbers from 1 up, separated by commas, e.g. 320,640; got 'abc'", error.TrimEnd());
        }
        finally
        {
            File.Delete(paths);
        }
    }

    [Theory]
    [InlineData("--metadata", "{", "error: --metadata must be a JSON object, e.g. {\"sku\":\"A-1\"}; it is not valid JSON.")]
    [InlineData("--chunk-size", "0", "error: --chunk-size must be a whole number from 1 to 1073741824; got 0.")]
    [InlineData("--chunk-size", "2147483647", "error: --chunk-size must be a whole number from 1 to 1073741824; got 2147483647.")]
    [InlineData("--concurrency", "0", "error: --concurrency must be a whole number from 1 to 32; got 0.")]
    [InlineData("--concurrency", "10000", "error: --concurrency must be a whole number from 1 to 32; got 10000.")]
    [InlineData("--max-retries", "-1", "error: --max-retries must be a whole number from 0 to 10; got -1.")]
    [InlineData("--access", "public", "error: --access must be public-read or private; got 'public'.")]
    [InlineData("--server", "img.example.com", "error: --server must be an absolute http or https URL, e.g. https://img.example.com; got 'img.example.com'")]
    [InlineData("--server", "https://img.example.com/?k=1", "error: --server must not have a query or fragment ('?…' or '#…'): the paths are appended after it; got 'https://img.example.com/?k=1'")]
    public void Upload_ValueOutOfRange_IsRefusedBeforeTheServerIsAsked(string option, string value, string message)
    {
        var file = Path.GetTempFileName();
        try
        {
            // Nothing listens on port 1: had the command gone to the server, the error would be the connection's.
            string[] server = option == "--server" ? [] : ["--server", "http://127.0.0.1:1"];
            var (exit, _, error) = CommandLine.Run(UploadCommand.Create(), [file, .. server, "--api-key", "k", option, value]);

            Assert.Equal(UploadCommand.InvalidArgumentsExitCode, exit);
            Assert.Equal(message, error.TrimEnd());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("--tag", "", "error: --tag must not be empty; got ''.")]
    [InlineData("--tag", "  ", "error: --tag must not be empty; got '  '.")]
    [InlineData("--tag", "red,blue", "error: --tag must not hold a ',': the server reads a comma-separated list, so it would store several tags; give each as a tag of its own; got 'red,blue'.")]
    [InlineData("--tag", "[\"a\"]", "error: --tag must not start with '[': the server reads such a value as a JSON array of tags; got '[\"a\"]'.")]
    [InlineData("--tag", "a\tb", "error: --tag must be printable characters (no tab, newline or other control character); got 'a\tb'.")]
    [InlineData("--name", "", "error: --name must not be empty (leave --name out to use the file's name); got ''.")]
    [InlineData("--name", "a/b", "error: --name must be a plain file name, without '/' or '\\' (the path gives the folder); got 'a/b'.")]
    [InlineData("--name", "a\\b", "error: --name must be a plain file name, without '/' or '\\' (the path gives the folder); got 'a\\b'.")]
    [InlineData("--name", "..", "error: --name must not be '.' or '..'; got '..'.")]
    [InlineData("--name", ".jpg", "error: --name must have a name before its extension '.jpg'; got '.jpg'.")]
    [InlineData("--name", ".cdnproxy-uploads", "error: --name must not start with '.cdnproxy' or end with '.cdnproxy.json': those names are the server's own; got '.cdnproxy-uploads'.")]
    [InlineData("--name", "x.cdnproxy.json", "error: --name must not start with '.cdnproxy' or end with '.cdnproxy.json': those names are the server's own; got 'x.cdnproxy.json'.")]
    [InlineData("--name", "a\nb", "error: --name must be printable characters (no tab, newline or other control character); got 'a\nb'.")]
    [InlineData("--name", "   ", "error: --name must not be empty (leave --name out to use the file's name); got '   '.")]
    [InlineData("--name", "a .jpg", "error: --name must not start or end with white space (before its extension); got 'a .jpg'.")]
    public void Upload_TagOrNameTheServerWouldRefuseOrChange_IsAUsageError(string option, string value, string message)
    {
        var (exit, output, error) = UploadWithoutServer(option, value);

        Assert.Equal((UploadCommand.InvalidArgumentsExitCode, string.Empty, message), (exit, output, error.TrimEnd()));
    }

    [Fact]
    public void Upload_TagAndNameLimits_AreTheServers()
    {
        // 128 characters, 200 bytes of UTF-8 ('ü' is 2): one more is refused.
        Assert.NotEqual(UploadCommand.InvalidArgumentsExitCode, UploadWithoutServer("--tag", new string('t', 128), "--name", new string('\u00fc', 100)).Exit);
        Assert.Equal(
            "error: --tag must be at most 128 characters; this one has 129; got '" + new string('t', 129) + "'.",
            UploadWithoutServer("--tag", new string('t', 129)).Error.TrimEnd());
        Assert.Equal(
            "error: --name must be at most 200 bytes of UTF-8; this one has 202; got '" + new string('\u00fc', 101) + "'.",
            UploadWithoutServer("--name", new string('\u00fc', 101)).Error.TrimEnd());

        string[] hundred = [.. Enumerable.Range(0, 100).SelectMany(i => new[] { "--tag", $"t{i}" })];
        Assert.NotEqual(UploadCommand.InvalidArgumentsExitCode, UploadWithoutServer([.. hundred, "--tag", "t0"]).Exit);
        Assert.Equal(
            "error: --tag may be given for at most 100 different tags; got 101.",
            UploadWithoutServer([.. hundred, "--tag", "t100"]).Error.TrimEnd());
    }

    [Fact]
    public void Upload_FileNameTheServerWouldRefuse_IsNamedAsTheFiles()
    {
        var folder = Directory.CreateTempSubdirectory("cdnproxy-upload-").FullName;
        var file = Path.Combine(folder, ".cdnproxy-x.jpg");
        File.WriteAllBytes(file, [1]);
        try
        {
            var (exit, _, error) = CommandLine.Run(UploadCommand.Create(), file, "--server", "http://127.0.0.1:1", "--api-key", "k");

            Assert.Equal(UploadCommand.InvalidArgumentsExitCode, exit);
            Assert.Equal(
                "error: the file's name (used without --name) must not start with '.cdnproxy' or end with '.cdnproxy.json': those names are the server's own; got '.cdnproxy-x'.",
                error.TrimEnd());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// Runs <c>upload</c> against port 1, where nothing listens: arguments that pass the checks fail on the connection
    /// (<see cref="UploadCommand.FailedExitCode"/>), so a usage error proves nothing was sent.
    /// </summary>
    private static (int Exit, string Output, string Error) UploadWithoutServer(params string[] options)
    {
        var file = Path.GetTempFileName();
        try
        {
            return CommandLine.Run(UploadCommand.Create(), [file, "--server", "http://127.0.0.1:1", "--api-key", "k", .. options]);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
