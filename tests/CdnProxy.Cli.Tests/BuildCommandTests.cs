namespace CdnProxy.Cli.Tests;

public sealed class BuildCommandTests
{
    [Fact]
    public void Build_FilePathWithQueryAndFragmentCharacters_NamesThatFile()
    {
        var (exit, output, error) = CommandLine.Run(BuildCommand.Create(), "--cloud", "demo", "--file-path", "a#b?c.jpg", "--pattern", "original");

        Assert.Equal((0, string.Empty), (exit, error));
        Assert.Equal("https://cdn.pixelbin.io/v2/demo/original/a%23b%3Fc.jpg", output.TrimEnd());
    }

    [Theory]
    [InlineData("de mo/x", "a.jpg", "error: key cloudName 'de mo/x' is not one the server accepts: Cloud name may contain only letters, digits, '-' and '_'.")]
    [InlineData("demo", "../../etc/passwd", "error: key filePath '../../etc/passwd' is not one the server accepts: URL path must not contain '.' or '..' segments.")]
    [InlineData("demo", "a//b.jpg", "error: key filePath 'a//b.jpg' is not one the server accepts: File path must not contain empty segments.")]
    public void Build_CloudOrFilePathTheServerRefuses_IsRefused(string cloud, string filePath, string message)
    {
        var (exit, output, error) = CommandLine.Run(BuildCommand.Create(), "--cloud", cloud, "--file-path", filePath);

        Assert.Equal((BuildCommand.InvalidInputExitCode, string.Empty), (exit, output));
        Assert.Equal(message, error.TrimEnd());
    }

    [Theory]
    [InlineData("")]
    [InlineData("?w=300")]
    public void Build_EmptyWorkerPath_IsRefused(string workerPath)
    {
        var (exit, output, error) = CommandLine.Run(BuildCommand.Create(), "--custom-domain", "--base-url", "https://assets.example.com", "--worker-path", workerPath);

        Assert.Equal((BuildCommand.InvalidInputExitCode, string.Empty), (exit, output));
        Assert.Equal(
            $"error: key workerPath '{workerPath}' is not one the server accepts: the server needs a path after wrkr/ to translate, e.g. images/logo.png",
            error.TrimEnd());
    }

    [Theory]
    [InlineData("https://cdn.example.com", "https://cdn.example.com/v2/demo/original/a.jpg")]
    [InlineData("https://cdn.example.com/", "https://cdn.example.com/v2/demo/original/a.jpg")]
    [InlineData("http://127.0.0.1:8080/images", "http://127.0.0.1:8080/images/v2/demo/original/a.jpg")]
    [InlineData("https://example.com/images/", "https://example.com/images/v2/demo/original/a.jpg")]
    public void Build_BaseUrlWithOrWithoutSlashOrPrefix_StartsTheUrl(string baseUrl, string expected)
    {
        var (exit, output, error) = CommandLine.Run(BuildCommand.Create(), "--cloud", "demo", "--file-path", "a.jpg", "--base-url", baseUrl);

        Assert.Equal((0, string.Empty, expected), (exit, error, output.TrimEnd()));
    }

    [Theory]
    [InlineData("cdn.example.com", "must be an absolute http or https URL")]
    [InlineData("/images", "must be an absolute http or https URL")]
    [InlineData("ftp://cdn.example.com", "must be an absolute http or https URL")]
    [InlineData("file:///tmp/x", "must be an absolute http or https URL")]
    [InlineData(" https://cdn.example.com", "must be an absolute http or https URL")]
    [InlineData("https://cdn.example.com?v=1", "must not have a query or fragment")]
    [InlineData("https://cdn.example.com/images?", "must not have a query or fragment")]
    [InlineData("https://cdn.example.com/#top", "must not have a query or fragment")]
    [InlineData("https://user:secret@cdn.example.com", "must not carry a user name or password")]
    [InlineData("https://@cdn.example.com", "must not carry a user name or password")]
    public void Build_BaseUrlThatCannotStartAUrl_IsRefusedNamingTheOption(string baseUrl, string reason)
    {
        var (exit, output, error) = CommandLine.Run(BuildCommand.Create(), "--cloud", "demo", "--file-path", "a.jpg", "--base-url", baseUrl);

        Assert.Equal((BuildCommand.InvalidInputExitCode, string.Empty), (exit, output));
        Assert.StartsWith($"error: --base-url {reason}", error, StringComparison.Ordinal);
        Assert.EndsWith($"; got '{baseUrl}'", error.TrimEnd(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--zone", "abc", "error: --zone must be a zone slug, 6 letters, digits, '-' or '_', e.g. z-slug; got 'abc'")]
    [InlineData("--zone", "abcdefgh", "error: --zone must be a zone slug, 6 letters, digits, '-' or '_', e.g. z-slug; got 'abcdefgh'")]
    [InlineData("--version", "v3", "error: --version must be v1 or v2; got 'v3'")]
    [InlineData("--dpr", "7", "error: --dpr must be auto or a number from 0.1 to 5, e.g. 2; got '7'")]
    [InlineData("--dpr", "-1", "error: --dpr must be auto or a number from 0.1 to 5, e.g. 2; got '-1'")]
    [InlineData("--dpr", "high", "error: --dpr must be auto or a number from 0.1 to 5, e.g. 2; got 'high'")]
    [InlineData("--pattern", "resize(w:1)", "error: --pattern and --transformation take operations the server reads, such as t.resize(w:100) or p:preset, joined by ~; in 'resize(w:1)': Unexpected '(' at column 7; expected '.'")]
    [InlineData("--pattern", "t.resize(w:1:2)", "error: --pattern and --transformation take operations the server reads, such as t.resize(w:100) or p:preset, joined by ~; in 't.resize(w:1:2)': Unexpected ':' at column 13; expected ',' or ')'")]
    [InlineData("--pattern", "t.resize(w:1", "error: --pattern and --transformation take operations the server reads, such as t.resize(w:100) or p:preset, joined by ~; in 't.resize(w:1': Unexpected end of pattern at column 13; expected ',' or ')'")]
    [InlineData("-t", "t.resize(w:a b)", "error: --pattern and --transformation take operations the server reads, such as t.resize(w:100) or p:preset, joined by ~; in 't.resize(w:a b)': Unexpected space at column 13; expected ',' or ')'")]
    public void Build_OptionTheSdkWouldDropOrMisread_IsRefusedNamingIt(string option, string value, string message)
    {
        var (exit, output, error) = CommandLine.Run(BuildCommand.Create(), "--cloud", "demo", "--file-path", "a.jpg", option, value);

        Assert.Equal((BuildCommand.InvalidInputExitCode, string.Empty, message), (exit, output, error.TrimEnd()));
    }

    [Fact]
    public void Build_WorkerPathWithAPatternOrFilePath_IsRefused()
    {
        var (exit, _, error) = CommandLine.Run(BuildCommand.Create(), "--cloud", "demo", "--worker-path", "w_300/a.jpg", "-t", "t.flip()");

        Assert.Equal(BuildCommand.InvalidInputExitCode, exit);
        Assert.Equal("error: --worker-path builds a wrkr URL, which has no pattern or file path: leave out --pattern, --transformation and --file-path", error.TrimEnd());
    }

    [Theory]
    [InlineData("-t", "t.resize(w:a%20b)", "error: value 'a%20b' of key 'w' in 'resize' cannot be written: argument values cannot contain a space")]
    [InlineData("-t", "t.resize(w:a%2Cb)", "error: value 'a%2Cb' of key 'w' in 'resize' cannot be written: ',' delimits the pattern's calls and arguments, and argument values have no escape for it")]
    [InlineData("--worker-path", "../other/original/a.jpg", "error: key workerPath '../other/original/a.jpg' is not one the server accepts: a '.' or '..' segment would be resolved by the client, taking the URL out of the worker path")]
    [InlineData("--file-path", "a%2Fb.jpg", "error: key filePath 'a%2Fb.jpg' is not one the server accepts: the server keeps %2F as the text %2F, so it would name no folder; write / for a folder, or %252F for a name that contains the text %2F")]
    public void Build_PartTheServerWouldNotReadBack_IsRefusedWithTheReason(string option, string value, string message)
    {
        string[] rest = option == "-t" ? ["--file-path", "a.jpg"] : [];
        var (exit, output, error) = CommandLine.Run(BuildCommand.Create(), ["--cloud", "demo", option, value, .. rest]);

        Assert.Equal((BuildCommand.InvalidInputExitCode, string.Empty, message), (exit, output, error.TrimEnd()));
    }

    [Fact]
    public void Build_ValueWithQuestionMarkHashOrPercent_IsEscapedSoTheServerReadsItBack()
    {
        var (exit, output, _) = CommandLine.Run(BuildCommand.Create(), "--cloud", "demo", "-t", "t.x(a:50%,b:c?d#e)", "--file-path", "a.jpg", "--any-operation");

        Assert.Equal((0, "https://cdn.pixelbin.io/v2/demo/t.x(a:50%25,b:c%3Fd%23e)/a.jpg"), (exit, output.TrimEnd()));
    }

    [Fact]
    public void Build_OrdinaryParts_GiveTheSameUrlAsBefore()
    {
        var (exit, output, _) = CommandLine.Run(
            BuildCommand.Create(), "--cloud", "demo", "--zone", "z-slug", "--version", "v1", "-t", "t.resize(w:100)", "-t", "t.flip()", "--file-path", "a/b c.jpg", "--dpr", "2.5", "--f-auto");

        Assert.Equal((0, "https://cdn.pixelbin.io/v1/demo/z-slug/t.resize(w:100)~t.flip()/a/b c.jpg?dpr=2.5&f_auto=true"), (exit, output.TrimEnd()));
    }

    [Fact]
    public void Build_ForPixelbinsOwnCdn_AnOperationOnlyPixelbinServes_IsBuilt()
    {
        var (exit, output, _) = CommandLine.Run(BuildCommand.Create(), "--cloud", "demo", "-t", "erase.bg()", "--file-path", "a.jpg");

        Assert.Equal((0, "https://cdn.pixelbin.io/v2/demo/erase.bg()/a.jpg"), (exit, output.TrimEnd()));
    }

    [Theory]
    [InlineData("t.resize(w:100001)", "t.resize: 'w' must be an integer from 0 to 100000")]
    [InlineData("t.resize(x:1)", "t.resize has no argument 'x'")]
    [InlineData("erase.bg()", "the server has no operation 'erase.bg'")]
    public void Build_PatternTheServerRefuses_IsRefused(string operation, string reason)
    {
        var (exit, output, error) = CommandLine.Run(BuildCommand.Create(), "--cloud", "demo", "-t", operation, "--file-path", "a.jpg", "--base-url", "https://cdn.example.com");

        Assert.Equal((BuildCommand.InvalidInputExitCode, string.Empty), (exit, output));
        Assert.StartsWith($"error: pattern '{operation}' would be refused by the server: {reason}", error, StringComparison.Ordinal);
        Assert.Equal(0, CommandLine.Run(BuildCommand.Create(), "--cloud", "demo", "-t", operation, "--file-path", "a.jpg", "--any-operation").Exit);
    }

    [Fact]
    public void Build_MoreCallsThanTheServerAccepts_IsRefusedEvenForAnyOperation()
    {
        string[] args = ["--cloud", "demo", "--file-path", "a.jpg", "--any-operation", "--pattern", string.Join('~', Enumerable.Repeat("t.flip()", 16))];

        var (exit, _, error) = CommandLine.Run(BuildCommand.Create(), args);

        Assert.Equal(BuildCommand.InvalidInputExitCode, exit);
        Assert.EndsWith("Pattern has more than 15 transformations.", error.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_WithAServersCatalogue_UsesItsOperations()
    {
        var catalog = Path.GetTempFileName();
        try
        {
            File.WriteAllText(catalog, """{"limits":{"maxCalls":15,"maxPatternLength":2048},"operations":[{"name":"t.flip","arguments":[]}]}""");

            Assert.Equal(0, CommandLine.Run(BuildCommand.Create(), "--cloud", "demo", "-t", "t.flip()", "--file-path", "a.jpg", "--catalog", catalog).Exit);
            var (exit, _, error) = CommandLine.Run(BuildCommand.Create(), "--cloud", "demo", "-t", "t.flop()", "--file-path", "a.jpg", "--catalog", catalog);
            Assert.Equal((BuildCommand.InvalidInputExitCode, "error: pattern 't.flop()' would be refused by the server: the server has no operation 't.flop'"), (exit, error.TrimEnd()));

            File.WriteAllText(catalog, "not json");
            Assert.StartsWith($"error: --catalog '{catalog}' cannot be used: ", CommandLine.Run(BuildCommand.Create(), "--cloud", "demo", "-t", "t.flip()", "--file-path", "a.jpg", "--catalog", catalog).Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(catalog);
        }
    }
}
