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
    public void Warm_ValueOutOfRange_IsRefusedBeforeAnyRequest(string option, string value, string message)
    {
        var (exit, output, error) = CommandLine.Run(
            WarmCommand.Create(), "--files", "paths.txt", "--base", "http://127.0.0.1:1/v2/demo", "--srcset", "t.resize(w:{w})", "--widths", "320",
            "--access-key", "k", "--token", "t", option, value);

        Assert.Equal((WarmCommand.InvalidArgumentsExitCode, string.Empty), (exit, output));
        Assert.Equal(message, error.TrimEnd());
    }

    [Theory]
    [InlineData("--metadata", "{", "error: --metadata must be a JSON object, e.g. {\"sku\":\"A-1\"}; it is not valid JSON.")]
    [InlineData("--chunk-size", "0", "error: --chunk-size and --concurrency must be at least 1, --max-retries at least 0.")]
    [InlineData("--max-retries", "-1", "error: --chunk-size and --concurrency must be at least 1, --max-retries at least 0.")]
    public void Upload_ValueOutOfRange_IsRefusedBeforeTheServerIsAsked(string option, string value, string message)
    {
        var file = Path.GetTempFileName();
        try
        {
            // Nothing listens on port 1: had the command gone to the server, the error would be the connection's.
            var (exit, _, error) = CommandLine.Run(
                UploadCommand.Create(), file, "--server", "http://127.0.0.1:1", "--api-key", "k", option, value);

            Assert.Equal(UploadCommand.FailedExitCode, exit);
            Assert.Equal(message, error.TrimEnd());
        }
        finally
        {
            File.Delete(file);
        }
    }
}
