using CdnProxy.Core;
using CdnProxy.Server.Origins.Local;

namespace CdnProxy.Server.Tests.Origins;

/// <summary>A local origin never serves a file outside its root, however the path is spelled or linked.</summary>
public sealed class LocalOriginStoreTests : IDisposable
{
    private readonly string _sandbox = Directory.CreateTempSubdirectory("cdnproxy-local-").FullName;
    private readonly string _root;

    public LocalOriginStoreTests()
    {
        _root = Directory.CreateDirectory(Path.Combine(_sandbox, "root")).FullName;
        Directory.CreateDirectory(Path.Combine(_root, "folder"));
        File.WriteAllText(Path.Combine(_root, "folder", "inside.jpg"), "inside");
        File.WriteAllText(Path.Combine(_root, "%2e%2e"), "literal percent name");
        File.WriteAllText(Path.Combine(_sandbox, "secret.jpg"), "secret");
        Directory.CreateDirectory(Path.Combine(_sandbox, "outside"));
        File.WriteAllText(Path.Combine(_sandbox, "outside", "secret.jpg"), "secret");

        File.CreateSymbolicLink(Path.Combine(_root, "link-out.jpg"), Path.Combine(_sandbox, "secret.jpg"));
        File.CreateSymbolicLink(Path.Combine(_root, "relative-out.jpg"), "../secret.jpg");
        Directory.CreateSymbolicLink(Path.Combine(_root, "dir-out"), Path.Combine(_sandbox, "outside"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "folder", "up"), "..");
        File.CreateSymbolicLink(Path.Combine(_root, "link-in.jpg"), "folder/inside.jpg");
        File.CreateSymbolicLink(Path.Combine(_root, "loop-a"), "loop-b");
        File.CreateSymbolicLink(Path.Combine(_root, "loop-b"), "loop-a");
    }

    [Theory]
    [InlineData("../secret.jpg")]
    [InlineData("folder/../../secret.jpg")]
    [InlineData("..%2fsecret.jpg")]
    [InlineData("%2e%2e/secret.jpg")]
    [InlineData("..\\secret.jpg")]
    [InlineData("folder\\..\\..\\secret.jpg")]
    [InlineData("/etc/passwd")]
    [InlineData("secret.jpg\0.png")]
    [InlineData("link-out.jpg")]
    [InlineData("relative-out.jpg")]
    [InlineData("dir-out/secret.jpg")]
    [InlineData("folder/up/up/secret.jpg")]
    [InlineData("loop-a")]
    [InlineData("folder")]
    [InlineData("")]
    public async Task PathsLeadingOutOfTheRoot_AreNotFound(string filePath)
    {
        var store = new LocalOriginStore(_root, 1_000_000);

        Assert.Null(await store.FetchAsync(filePath, CancellationToken.None));
    }

    [Theory]
    [InlineData("folder/inside.jpg", "inside")]
    [InlineData("link-in.jpg", "inside")]
    [InlineData("folder/up/folder/inside.jpg", "inside")]
    [InlineData("%2e%2e", "literal percent name")]
    public async Task PathsStayingUnderTheRoot_AreServed_ThroughLinksToo(string filePath, string content)
    {
        var store = new LocalOriginStore(_root, 1_000_000);

        using var fetched = await store.FetchAsync(filePath, CancellationToken.None);

        Assert.Equal(content, System.Text.Encoding.UTF8.GetString(fetched!.Content.Span));
    }

    [Fact]
    public async Task RootReachedThroughALink_StillServesItsFiles()
    {
        var linkedRoot = Path.Combine(_sandbox, "linked-root");
        Directory.CreateSymbolicLink(linkedRoot, _root);
        var store = new LocalOriginStore(linkedRoot, 1_000_000);

        using var fetched = await store.FetchAsync("folder/inside.jpg", CancellationToken.None);

        Assert.NotNull(fetched);
        Assert.Null(await store.FetchAsync("link-out.jpg", CancellationToken.None));
    }

    [Fact]
    public async Task FileOverTheCap_FailsWithSourceTooLarge()
    {
        var store = new LocalOriginStore(_root, 3);

        var error = await Assert.ThrowsAsync<CdnException>(() => store.FetchAsync("folder/inside.jpg", CancellationToken.None));

        Assert.Equal(CdnErrorKind.SourceTooLarge, error.Kind);
    }

    public void Dispose() => Directory.Delete(_sandbox, recursive: true);
}
