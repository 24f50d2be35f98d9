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
}
