using CdnProxy.Core.Assets;
using CdnProxy.Core.Origins;
using CdnProxy.Server.Origins;

namespace CdnProxy.Server.Tests.Origins;

/// <summary>The playground's listing of a local origin: bounded, inside the root, image files only.</summary>
public sealed class LocalFileListerTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("cdnproxy-listing-").FullName;
    private readonly string _outside = Directory.CreateTempSubdirectory("cdnproxy-outside-").FullName;

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        Directory.Delete(_outside, recursive: true);
    }

    [Fact]
    public async Task ListsImageFiles_SortedWithUrlPaths_AndTheirSizes()
    {
        Write("b.jpg", 3);
        Write("a/photo.PNG", 5);
        Write("a/notes.txt", 1);
        Write("a/b/c.webp", 7);

        var listing = (await new LocalFileLister(_root).ListAsync(CancellationToken.None));

        Assert.Equal([new ListedFile("a/b/c.webp", 7), new ListedFile("a/photo.PNG", 5), new ListedFile("b.jpg", 3)], listing.Files);
        Assert.False(listing.Truncated);
    }

    [Fact]
    public async Task NeverFollowsLinks_NorListsHiddenNames_NorFoldersBelowTheDepthBound()
    {
        Write("inside.jpg", 1);
        File.WriteAllBytes(Path.Combine(_outside, "secret.jpg"), [1]);
        File.CreateSymbolicLink(Path.Combine(_root, "link.jpg"), Path.Combine(_outside, "secret.jpg"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "linked-folder"), _outside);
        Write(".hidden.jpg", 1);
        Write(".git/objects.png", 1);
        Write("1/2/3/shallow.jpg", 1);
        Write("1/2/3/4/too-deep.jpg", 1);

        var paths = (await new LocalFileLister(_root).ListAsync(CancellationToken.None)).Files.Select(f => f.Path);

        Assert.Equal(["1/2/3/shallow.jpg", "inside.jpg"], paths);
    }

    [Fact]
    public async Task ManyFiles_AreCutAtTheFileBound_AndSaySo()
    {
        for (var i = 0; i < LocalFileLister.MaxFiles + 10; i++)
        {
            Write($"f{i:D4}.jpg", 1);
        }

        var listing = (await new LocalFileLister(_root).ListAsync(CancellationToken.None));

        Assert.Equal(LocalFileLister.MaxFiles, listing.Files.Count);
        Assert.True(listing.Truncated);
    }

    [Fact]
    public async Task AFolderOfOtherFiles_StopsAtTheEntryBound_AndSaysSo()
    {
        for (var i = 0; i < LocalFileLister.MaxEntriesRead + 1; i++)
        {
            File.WriteAllBytes(Path.Combine(_root, $"n{i:D5}.txt"), []);
        }

        var listing = (await new LocalFileLister(_root).ListAsync(CancellationToken.None));

        Assert.Empty(listing.Files);
        Assert.True(listing.Truncated);
    }

    [Fact]
    public async Task LeavesPrivateFilesOut_AndFilesWhoseRecordIsDamaged()
    {
        Write("public.jpg", 1);
        Write("recorded-public.jpg", 1);
        Write("a/private.jpg", 1);
        Write("damaged.jpg", 1);
        Record("recorded-public.jpg", AssetAccess.PublicRead);
        Record("a/private.jpg", AssetAccess.Private);
        File.WriteAllText(AssetRecordJson.SidecarPath(Path.Combine(_root, "damaged.jpg")), "{ not json");

        var listing = await new LocalFileLister(_root).ListAsync(CancellationToken.None);

        Assert.Equal(["public.jpg", "recorded-public.jpg"], listing.Files.Select(f => f.Path));
    }

    private void Record(string relativePath, AssetAccess access) =>
        File.WriteAllBytes(
            AssetRecordJson.SidecarPath(Path.Combine(_root, relativePath)),
            AssetRecordJson.Serialize(new AssetRecord { Id = "id-" + relativePath, Access = access }));

    private void Write(string relativePath, int bytes)
    {
        var path = Path.Combine(_root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, new byte[bytes]);
    }
}
