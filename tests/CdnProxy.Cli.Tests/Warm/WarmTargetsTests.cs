using CdnProxy.Cli.Warm;

namespace CdnProxy.Cli.Tests.Warm;

public sealed class WarmTargetsTests
{
    private static readonly Uri Base = new("https://cdn.example.com/v2/demo/");

    [Fact]
    public void Lines_SkipBlanksAndComments() =>
        Assert.Equal(["https://a/1.jpg", "https://a/2.jpg"], WarmTargets.Lines("# header\nhttps://a/1.jpg\n\n  https://a/2.jpg  \r\n"));

    [Fact]
    public void Patterns_TimesFiles() =>
        Assert.Equal(
            ["https://cdn.example.com/v2/demo/t.flip()/a.jpg", "https://cdn.example.com/v2/demo/t.flip()/b/c.png", "https://cdn.example.com/v2/demo/original/a.jpg", "https://cdn.example.com/v2/demo/original/b/c.png"],
            WarmTargets.Product(Base, ["t.flip()", "original"], ["a.jpg", "/b/c.png"]));

    [Fact]
    public void Srcset_ReplacesTheWidth()
    {
        Assert.Equal(
            ["https://cdn.example.com/v2/demo/t.resize(w:320)/a.jpg", "https://cdn.example.com/v2/demo/t.resize(w:640)/a.jpg"],
            WarmTargets.Srcset(Base, "t.resize(w:{w})", WarmTargets.Widths("320, 640"), ["a.jpg"]));
        Assert.Throws<ArgumentException>(() => WarmTargets.Srcset(Base, "t.resize(w:300)", [320], ["a.jpg"]));
        Assert.Throws<ArgumentException>(() => WarmTargets.Widths("320,-1"));
    }

    [Theory]
    [InlineData("https://cdn/a.jpg", true)]
    [InlineData("http://cdn/a.jpg", true)]
    [InlineData("ftp://cdn/a.jpg", false)]
    [InlineData("/v2/demo/original/a.jpg", false)]
    public void OnlyAbsoluteHttpUrls_AreRequested(string url, bool requestable) => Assert.Equal(requestable, WarmTargets.IsRequestable(url));
}
