using System.Buffers;
using CdnProxy.Core.Origins;
using CdnProxy.Core.Pipeline;

namespace CdnProxy.Core.Tests.Pipeline;

public class SharedOriginFetchesTests
{
    [Fact]
    public async Task ConcurrentFetchesOfOneFile_ReadItOnce_AndFreeTheBytesAfterTheLastLease()
    {
        var origin = new GatedOrigin();
        var fetches = new SharedOriginFetches();

        var first = fetches.FetchAsync(origin, "photo.jpg", CancellationToken.None);
        var second = fetches.FetchAsync(origin, "photo.jpg", CancellationToken.None);
        var other = fetches.FetchAsync(origin, "other.jpg", CancellationToken.None);
        var shared = origin.Complete("photo.jpg", [1, 2, 3]);
        origin.Complete("other.jpg", [9]);
        using var a = await first;
        var b = await second;

        Assert.Equal(["photo.jpg", "other.jpg"], origin.Asked);
        Assert.Equal([1, 2, 3], a!.Content.ToArray());
        Assert.Equal([1, 2, 3], b!.Content.ToArray());
        Assert.Equal(0, fetches.Count);

        b.Dispose();
        Assert.False(shared.Content.IsEmpty);
        a.Dispose();
        Assert.True(shared.Content.IsEmpty);
        (await other)!.Dispose();
    }

    [Fact]
    public async Task AFetchAfterTheReadEnded_ReadsAgain()
    {
        var origin = new GatedOrigin();
        var fetches = new SharedOriginFetches();

        var first = fetches.FetchAsync(origin, "photo.jpg", CancellationToken.None);
        origin.Complete("photo.jpg", [1]);
        (await first)!.Dispose();
        var second = fetches.FetchAsync(origin, "photo.jpg", CancellationToken.None);
        origin.Complete("photo.jpg", [2]);
        using var again = await second;

        Assert.Equal(2, origin.Asked.Count);
        Assert.Equal([2], again!.Content.ToArray());
    }

    [Fact]
    public async Task AFailure_ReachesEveryWaiter_AndIsNotRemembered()
    {
        var origin = new GatedOrigin();
        var fetches = new SharedOriginFetches();

        var first = fetches.FetchAsync(origin, "photo.jpg", CancellationToken.None);
        var second = fetches.FetchAsync(origin, "photo.jpg", CancellationToken.None);
        origin.Fail("photo.jpg", new CdnException(CdnErrorKind.OriginFailed, "down"));

        Assert.Equal(CdnErrorKind.OriginFailed, (await Assert.ThrowsAsync<CdnException>(() => first)).Kind);
        Assert.Equal(CdnErrorKind.OriginFailed, (await Assert.ThrowsAsync<CdnException>(() => second)).Kind);
        var third = fetches.FetchAsync(origin, "photo.jpg", CancellationToken.None);
        origin.Complete("photo.jpg", [1]);
        using var read = await third;
        Assert.Equal(2, origin.Asked.Count);
    }

    [Fact]
    public async Task AMissingFile_IsNullForEveryWaiter()
    {
        var origin = new GatedOrigin();
        var fetches = new SharedOriginFetches();

        var first = fetches.FetchAsync(origin, "gone.jpg", CancellationToken.None);
        var second = fetches.FetchAsync(origin, "gone.jpg", CancellationToken.None);
        origin.Missing("gone.jpg");

        Assert.Null(await first);
        Assert.Null(await second);
        Assert.Single(origin.Asked);
    }

    [Fact]
    public async Task AWaiterGivingUp_LeavesTheReadToTheOthers_AndTheBytesAreFreedWhenTheyLeave()
    {
        var origin = new GatedOrigin();
        var fetches = new SharedOriginFetches();
        using var gaveUp = new CancellationTokenSource();

        var impatient = fetches.FetchAsync(origin, "photo.jpg", gaveUp.Token);
        var patient = fetches.FetchAsync(origin, "photo.jpg", CancellationToken.None);
        await gaveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatient);
        var shared = origin.Complete("photo.jpg", [7, 7]);
        var read = await patient;

        Assert.Equal([7, 7], read!.Content.ToArray());
        read.Dispose();
        Assert.True(shared.Content.IsEmpty);
    }

    [Fact]
    public async Task EveryWaiterGivingUp_StillFreesTheBytesWhenTheReadEnds()
    {
        var origin = new GatedOrigin();
        var fetches = new SharedOriginFetches();
        using var gaveUp = new CancellationTokenSource();

        var only = fetches.FetchAsync(origin, "photo.jpg", gaveUp.Token);
        await gaveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => only);
        var shared = origin.Complete("photo.jpg", [5]);

        Assert.True(shared.Content.IsEmpty);
        Assert.Equal(0, fetches.Count);
    }

    /// <summary>An origin whose reads end when the test says, with pooled objects (emptied when freed).</summary>
    private sealed class GatedOrigin : IOriginStore
    {
        private readonly Dictionary<string, TaskCompletionSource<OriginObject?>> _pending = [];

        public List<string> Asked { get; } = [];

        public Task<OriginObject?> FetchAsync(string filePath, CancellationToken cancellationToken)
        {
            Asked.Add(filePath);
            // Continuations run inline: when Complete returns, the shared read has ended.
            var read = new TaskCompletionSource<OriginObject?>();
            _pending[filePath] = read;
            return read.Task;
        }

        public OriginObject Complete(string path, byte[] content)
        {
            var rented = ArrayPool<byte>.Shared.Rent(content.Length);
            content.CopyTo(rented, 0);
            var result = OriginObject.FromPooled(rented, content.Length, null);
            _pending[path].SetResult(result);
            return result;
        }

        public void Missing(string path) => _pending[path].SetResult(null);

        public void Fail(string path, Exception failure) => _pending[path].SetException(failure);
    }
}
