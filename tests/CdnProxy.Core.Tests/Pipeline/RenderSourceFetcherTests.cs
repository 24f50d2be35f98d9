using System.Text;
using CdnProxy.Core.Caching;
using CdnProxy.Core.Origins;
using CdnProxy.Core.Pipeline;
using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Tests.Common;
using Microsoft.Extensions.Time.Testing;

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
    public async Task FetchAsync_MissingMergeImage_IsNotAskedForAgainUntilItsEntriesExpire()
    {
        var time = new FakeTimeProvider();
        var cache = new MemoryRenditionCache(new MemoryRenditionCacheOptions(), time);
        var knownMissing = new KnownMissingFiles(cache, "demo", null, TimeSpan.FromMinutes(2), new PurgeEpoch(cache.Generation, null));
        var origin = new FakeOriginStore().Add("photo.jpg", Photo);
        var fetcher = new RenderSourceFetcher();
        var plan = RenderHarness.Bind(MergeOf("brand/logo"));

        for (var attempt = 0; attempt < 3; attempt++)
        {
            var e = await Assert.ThrowsAsync<CdnException>(() => fetcher.FetchAsync(origin, "photo.jpg", plan, knownMissing, CancellationToken.None));
            Assert.Equal(CdnErrorKind.ReferencedFileNotFound, e.Kind);
        }

        // Seven names on the first request, none after: the original alone is read again.
        Assert.Equal(7, origin.FetchedPaths.Count(path => path.StartsWith("brand/", StringComparison.Ordinal)));
        Assert.Equal(3, origin.FetchedPaths.Count(path => path == "photo.jpg"));

        time.Advance(TimeSpan.FromMinutes(2));
        await Assert.ThrowsAsync<CdnException>(() => fetcher.FetchAsync(origin, "photo.jpg", plan, knownMissing, CancellationToken.None));
        Assert.Equal(14, origin.FetchedPaths.Count(path => path.StartsWith("brand/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task FetchAsync_MergeImageUploadedUnderOneExtension_IsFoundOnceThatPathIsPurged()
    {
        // An upload purges the path it wrote (here brand/logo.webp); the extension-less id and the other names stay
        // known missing and are skipped.
        var time = new FakeTimeProvider();
        var cache = new MemoryRenditionCache(new MemoryRenditionCacheOptions(), time);
        var knownMissing = new KnownMissingFiles(cache, "demo", "eu", TimeSpan.FromMinutes(2), new PurgeEpoch(cache.Generation, null));
        var origin = new FakeOriginStore().Add("photo.jpg", Photo);
        var fetcher = new RenderSourceFetcher();
        var plan = RenderHarness.Bind(MergeOf("brand/logo"));
        await Assert.ThrowsAsync<CdnException>(() => fetcher.FetchAsync(origin, "photo.jpg", plan, knownMissing, CancellationToken.None));

        origin.Add("brand/logo.webp", Logo);
        cache.Purge(RenditionKeyBuilder.OriginalId("demo", "eu", "brand/logo.webp"));
        var before = origin.FetchedPaths.Count;
        using var sources = await fetcher.FetchAsync(origin, "photo.jpg", plan, knownMissing, CancellationToken.None);

        Assert.Equal(Logo, sources.Files.Get("brand/logo").ToArray());
        Assert.Equal(["brand/logo.webp", "photo.jpg"], origin.FetchedPaths.Skip(before).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task FetchAsync_OriginFailingForAMergeImage_IsNotRememberedAsMissing()
    {
        var cache = new MemoryRenditionCache(new MemoryRenditionCacheOptions(), new FakeTimeProvider());
        var knownMissing = new KnownMissingFiles(cache, "demo", null, TimeSpan.FromMinutes(2), new PurgeEpoch(cache.Generation, null));
        var origin = new FakeOriginStore().Add("photo.jpg", Photo).Add("logo.png", Logo);
        origin.Failure = CdnErrorKind.OriginFailed;
        var fetcher = new RenderSourceFetcher();
        var plan = RenderHarness.Bind(MergeOf("logo"));
        await Assert.ThrowsAsync<CdnException>(() => fetcher.FetchAsync(origin, "photo.jpg", plan, knownMissing, CancellationToken.None));

        origin.Failure = null;
        using var sources = await fetcher.FetchAsync(origin, "photo.jpg", plan, knownMissing, CancellationToken.None);

        Assert.Equal(Logo, sources.Files.Get("logo").ToArray());
        Assert.False(await knownMissing.ContainsAsync("logo.png"));
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
