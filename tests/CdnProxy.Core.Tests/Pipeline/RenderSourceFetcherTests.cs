using System.Text;
using CdnProxy.Core.Origins;
using CdnProxy.Core.Pipeline;
using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Tests.Common;

namespace CdnProxy.Core.Tests.Pipeline;

public class RenderSourceFetcherTests
{
    private static readonly byte[] Photo = [1, 2, 3];

    private static readonly byte[] Logo = [4, 5, 6];

    private static string MergeOf(string fileId) => $"t.merge(i:{Convert.ToBase64String(Encoding.UTF8.GetBytes(fileId))})";

    [Fact]
    public async Task FetchAsync_FileIdWithoutExtension_TriesTheExtensionsInOrder()
    {
        var origin = new FakeOriginStore().Add("photo.jpg", Photo).Add("brand/logo.webp", Logo);

        using var sources = await new RenderSourceFetcher().FetchAsync(origin, "photo.jpg", RenderHarness.Bind(MergeOf("brand/logo")), CancellationToken.None);

        Assert.Equal(Photo, sources.Original.Content.ToArray());
        Assert.Equal(Logo, sources.Files.Get("brand/logo").ToArray());
        Assert.Equal(
            ["brand/logo", "brand/logo.png", "brand/logo.jpg", "brand/logo.jpeg", "brand/logo.webp"],
            origin.FetchedPaths.Where(path => path.StartsWith("brand/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task FetchAsync_ConcurrentRendersOfOneOriginal_ReadItOnce()
    {
        // A srcset: several renditions of one original asked for at once.
        var origin = new FakeOriginStore().Add("photo.jpg", Photo);
        var fetcher = new RenderSourceFetcher();
        Task<RenderSources>[] renders;
        using (origin.Hold())
        {
            renders = [.. new[] { "t.resize(w:100)", "t.resize(w:200)", "t.flip()" }.Select(pattern =>
                fetcher.FetchAsync(origin, "photo.jpg", RenderHarness.Bind(pattern), CancellationToken.None))];
            await origin.FetchStarted;
        }

        foreach (var sources in await Task.WhenAll(renders))
        {
            using (sources)
            {
                Assert.Equal(Photo, sources.Original.Content.ToArray());
            }
        }

        Assert.Equal(1, origin.Fetches);
    }

    [Fact]
    public async Task FetchAsync_ExactPath_IsUsedAsIs()
    {
        var origin = new FakeOriginStore().Add("photo.jpg", Photo).Add("logo.png", Logo).Add("logo.png.png", Photo);

        using var sources = await new RenderSourceFetcher().FetchAsync(origin, "photo.jpg", RenderHarness.Bind(MergeOf("logo.png")), CancellationToken.None);

        Assert.Equal(Logo, sources.Files.Get("logo.png").ToArray());
        Assert.Equal(2, origin.Fetches);
    }

    [Fact]
    public async Task FetchAsync_SameFileTwiceAndNested_IsFetchedOnce()
    {
        var origin = new FakeOriginStore().Add("photo.jpg", Photo).Add("logo", Logo);
        var nested = Convert.ToBase64String(Encoding.UTF8.GetBytes(MergeOf("logo")));
        var plan = RenderHarness.Bind($"{MergeOf("logo")}~t.merge(i:bG9nbw,tr:{nested})");

        using var sources = await new RenderSourceFetcher().FetchAsync(origin, "photo.jpg", plan, CancellationToken.None);

        Assert.Equal(["logo"], sources.Files.FileIds);
        Assert.Equal(2, origin.Fetches);
    }

    [Theory]
    [InlineData("missing.jpg", "logo", CdnErrorKind.OriginNotFound, "The original was not found")]
    [InlineData("photo.jpg", "nope", CdnErrorKind.ReferencedFileNotFound, "The merge image was not found")]
    [InlineData("missing.jpg", "nope", CdnErrorKind.OriginNotFound, "The original was not found")]
    public async Task FetchAsync_Missing_ThrowsAKindNamingWhichFile(string original, string fileId, CdnErrorKind kind, string message)
    {
        var origin = new FakeOriginStore().Add("photo.jpg", Photo).Add("logo", Logo);

        var e = await Assert.ThrowsAsync<CdnException>(() => new RenderSourceFetcher().FetchAsync(origin, original, RenderHarness.Bind(MergeOf(fileId)), CancellationToken.None));

        Assert.Equal(kind, e.Kind);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public async Task FetchAsync_FetchesTheMergeImageConcurrentlyWithTheOriginal()
    {
        // The original's fetch only completes once the merge image's fetch has started: a sequential fetcher times out.
        var origin = new RendezvousOrigin();

        using var sources = await new RenderSourceFetcher().FetchAsync(origin, "photo.jpg", RenderHarness.Bind(MergeOf("logo")), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(Logo, sources.Files.Get("logo").ToArray());
    }

    private sealed class RendezvousOrigin : IOriginStore
    {
        private readonly TaskCompletionSource _mergeStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<OriginObject?> FetchAsync(string filePath, CancellationToken cancellationToken)
        {
            if (filePath == "photo.jpg")
            {
                await _mergeStarted.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
                return new OriginObject(Photo, null);
            }

            _mergeStarted.TrySetResult();
            await Task.Yield();
            return filePath == "logo" ? new OriginObject(Logo, null) : null;
        }
    }
}
