namespace CdnProxy.Cli.Tests;

public sealed class SignCommandTests
{
    private const string Url = "https://cdn.pixelbin.io/v2/demo/original/a.jpg";

    [Theory]
    [InlineData("--now", "1700000000000", "--now must be Unix seconds from 0 to 253402300799 (the end of year 9999), e.g. 1700000000; got 1700000000000 (milliseconds?)")]
    [InlineData("--now", "-1", "--now must be Unix seconds from 0 to 253402300799 (the end of year 9999), e.g. 1700000000; got -1")]
    [InlineData("--expiry-seconds", "-5", "--expiry-seconds must be a whole number of seconds from 1 to 3155760000 (100 years); got -5")]
    [InlineData("--expiry-seconds", "0", "--expiry-seconds must be a whole number of seconds from 1 to 3155760000 (100 years); got 0")]
    [InlineData("--expiry-seconds", "1.5", "--expiry-seconds must be a whole number of seconds from 1 to 3155760000 (100 years); got 1.5")]
    [InlineData("--expiry-seconds", "1e300", "--expiry-seconds must be a whole number of seconds from 1 to 3155760000 (100 years); got 1E+300")]
    [InlineData("--access-key", "", "--access-key must not be empty")]
    [InlineData("--token", "", "--token must not be empty")]
    public void Sign_ValueOutOfRange_IsRefusedNamingTheOption(string option, string value, string message)
    {
        var (exit, output, error) = CommandLine.Run(SignCommand.Create(), Arguments(Url, (option, value)));

        Assert.Equal((SignCommand.InvalidArgumentsExitCode, string.Empty), (exit, output));
        Assert.Equal("error: " + message, error.TrimEnd());
    }

    [Theory]
    [InlineData("--now", "abc", "--now must be a number, e.g. 1700000000; got 'abc'.")]
    [InlineData("--expiry-seconds", "soon", "--expiry-seconds must be a number, e.g. 3600; got 'soon'.")]
    public void Sign_ValueNotANumber_IsAUsageErrorNamingTheOption(string option, string value, string message)
    {
        var (exit, _, error) = CommandLine.Run(SignCommand.Create(), Arguments(Url, (option, value)));

        Assert.Equal(1, exit);
        Assert.Equal(message, error.Trim());
    }

    [Theory]
    [InlineData("ftp://x/v2/c/original/a.jpg", "error: Invalid URL: scheme 'ftp' is not supported (http or https only).")]
    [InlineData("/v2/c/original/a.jpg", "error: Invalid URL: an absolute URL with a scheme is required.")]
    [InlineData("https://x/v2/c/original/a.jpg?pbs=1", "error: URL already has a signature")]
    [InlineData("", "error: the URL to sign is empty")]
    public void Sign_UrlTheSignerRefuses_IsSaidWithoutDotNetText(string url, string message)
    {
        var (exit, _, error) = CommandLine.Run(SignCommand.Create(), Arguments(url));

        Assert.Equal(SignCommand.InvalidArgumentsExitCode, exit);
        Assert.Equal(message, error.TrimEnd());
        CommandLine.AssertSpeaksInOptions(error);
    }

    /// <summary>The arguments of a valid signing of <paramref name="url"/>, with <paramref name="replaced"/> given another value.</summary>
    private static string[] Arguments(string url, (string Option, string Value)? replaced = null)
    {
        var options = new Dictionary<string, string>
        {
            ["--expiry-seconds"] = "60", ["--access-key"] = "ak", ["--token"] = "tok", ["--now"] = "1700000000",
        };
        if (replaced is { } change)
        {
            options[change.Option] = change.Value;
        }

        return [url, .. options.SelectMany(option => new[] { option.Key, option.Value })];
    }
}
