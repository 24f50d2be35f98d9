using CdnProxy.Core.Caching;
using CdnProxy.Core.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace CdnProxy.Core.Tests.Caching;

public sealed class RenderCoordinatorTests : IDisposable
{
    private static readonly RenditionKey Key = new("r:v1:demo:abc", "demo/a.jpg");
    private static readonly Rendition Stored = Rendition.Create([1, 2, 3], "image/jpeg", DateTimeOffset.UnixEpoch);
    private static readonly RenderLockOptions Options = new()
    {
        Ttl = TimeSpan.FromSeconds(10),
        MaxWait = TimeSpan.FromSeconds(3),
        PollInterval = TimeSpan.FromMilliseconds(50),
    };

    private readonly FakeTimeProvider _time = new();
    private readonly FakeLockStore _locks;
    private readonly CdnProxyCounters _counters = new();
    private readonly RenderCoordinator _coordinator;
    private Rendition? _stored;

    public RenderCoordinatorTests()
    {
        _locks = new FakeLockStore(_time);
        _coordinator = new RenderCoordinator(_locks, Options, _counters, _time);
    }

    public void Dispose() => _counters.Dispose();

    [Fact]
    public async Task WithoutLockStore_EveryCallerRendersAtOnce()
    {
        await using var turn = await RenderCoordinator.Local.AcquireAsync(Key, Find, CancellationToken.None);

        Assert.Null(turn.ProducedElsewhere);
        Assert.False(turn.HoldsLock);
    }

    [Fact]
    public async Task FreeLock_IsTaken_AndReleasedOnDispose()
    {
        var turn = await _coordinator.AcquireAsync(Key, Find, CancellationToken.None);

        Assert.True(turn.HoldsLock);
        Assert.False(turn.Waited);
        Assert.True(_locks.IsHeld("lock:" + Key.Value));
        await turn.DisposeAsync();
        Assert.False(_locks.IsHeld("lock:" + Key.Value));
    }

    [Fact]
    public async Task ExpiredLockRetakenByAnother_IsNotReleasedByTheFormerHolder()
    {
        var first = await _coordinator.AcquireAsync(Key, Find, CancellationToken.None);
        _time.Advance(Options.Ttl + TimeSpan.FromSeconds(1));
        _locks.Take("lock:" + Key.Value, "other", TimeSpan.FromSeconds(10));

        await first.DisposeAsync();

        Assert.Equal("other", _locks.Holder("lock:" + Key.Value));
    }

    [Fact]
    public async Task HeldLock_WaiterGetsTheHoldersRendition()
    {
        _locks.Take("lock:" + Key.Value, "other", TimeSpan.FromSeconds(10));
        var waiting = _coordinator.AcquireAsync(Key, Find, CancellationToken.None);

        await AdvanceAsync(waiting, steps: 5);
        Assert.False(waiting.IsCompleted);
        _stored = Stored;
        await AdvanceAsync(waiting, steps: 100);

        var turn = await waiting;
        Assert.Same(Stored, turn.ProducedElsewhere);
        Assert.False(turn.HoldsLock);
        Assert.Equal(1, _counters.Snapshot().LockWaits);
    }

    [Fact]
    public async Task LockReleasedWithoutRendition_WaiterTakesItOver()
    {
        _locks.Take("lock:" + Key.Value, "other", TimeSpan.FromSeconds(10));
        var waiting = _coordinator.AcquireAsync(Key, Find, CancellationToken.None);
        await AdvanceAsync(waiting, steps: 3);

        await _locks.ReleaseAsync("lock:" + Key.Value, "other");
        await AdvanceAsync(waiting, steps: 100);

        var turn = await waiting;
        Assert.Null(turn.ProducedElsewhere);
        Assert.True(turn.HoldsLock);
        Assert.True(turn.Waited);
    }

    [Fact]
    public async Task HolderWhoseRenditionIsNotShared_LeavesAMarker_SoWaitersRenderAtOnceWithoutTheLock()
    {
        var holder = await _coordinator.AcquireAsync(Key, Find, CancellationToken.None);
        var waiting = _coordinator.AcquireAsync(Key, Find, CancellationToken.None);
        await AdvanceAsync(waiting, steps: 3);
        Assert.False(waiting.IsCompleted);

        holder.MarkNotShared();
        await holder.DisposeAsync();
        await AdvanceAsync(waiting, steps: 2);

        Assert.True(waiting.IsCompleted);
        var turn = await waiting;
        Assert.Null(turn.ProducedElsewhere);
        Assert.False(turn.HoldsLock);
        Assert.Equal(FakeLockStore.NotShared, _locks.Holder("lock:" + Key.Value));
        var later = _coordinator.AcquireAsync(Key, Find, CancellationToken.None);
        await AdvanceAsync(later, steps: 2);
        Assert.False((await later).HoldsLock);
        Assert.Equal(0, _counters.Snapshot().LockTimeouts);
    }

    [Fact]
    public void TooLargeToShare_FollowsMaxSharedBytes()
    {
        var coordinator = new RenderCoordinator(_locks, Options with { MaxSharedBytes = 3 }, _counters, _time);

        Assert.False(coordinator.IsTooLargeToShare(Stored));
        Assert.True(coordinator.IsTooLargeToShare(Stored with { Bytes = new byte[4] }));
        Assert.False(_coordinator.IsTooLargeToShare(Stored with { Bytes = new byte[100_000] }));
    }

    [Fact]
    public async Task StuckHolder_WaiterRendersItselfAfterMaxWait()
    {
        _locks.Take("lock:" + Key.Value, "stuck", TimeSpan.FromMinutes(5));
        var waiting = _coordinator.AcquireAsync(Key, Find, CancellationToken.None);

        await AdvanceAsync(waiting, steps: 59);
        Assert.False(waiting.IsCompleted);
        await AdvanceAsync(waiting, steps: 5);

        var turn = await waiting;
        Assert.Null(turn.ProducedElsewhere);
        Assert.False(turn.HoldsLock);
        Assert.Equal(1, _counters.Snapshot().LockTimeouts);
    }

    [Fact]
    public async Task UnreachableLockStore_RendersWithoutWaiting()
    {
        _locks.Unreachable = true;

        var turn = await _coordinator.AcquireAsync(Key, Find, CancellationToken.None);

        Assert.False(turn.HoldsLock);
        Assert.Null(turn.ProducedElsewhere);
    }

    private ValueTask<Rendition?> Find() => ValueTask.FromResult(_stored);

    /// <summary>Moves the fake clock one poll interval at a time, letting the waiter run between steps.</summary>
    private async Task AdvanceAsync(Task waiting, int steps)
    {
        for (var i = 0; i < steps && !waiting.IsCompleted; i++)
        {
            await Task.Delay(2);
            _time.Advance(Options.PollInterval);
        }

        await Task.Delay(10);
    }

    private sealed class FakeLockStore(TimeProvider time) : IRenderLockStore
    {
        public const string NotShared = "not-shared";

        private readonly Dictionary<string, (string Token, DateTimeOffset Until)> _held = [];

        public bool Unreachable { get; set; }

        public void Take(string name, string token, TimeSpan ttl)
        {
            lock (_held)
            {
                _held[name] = (token, time.GetUtcNow() + ttl);
            }
        }

        public string? Holder(string name)
        {
            lock (_held)
            {
                return _held.TryGetValue(name, out var entry) && entry.Until > time.GetUtcNow() ? entry.Token : null;
            }
        }

        public bool IsHeld(string name) => Holder(name) is not null;

        public ValueTask<bool?> TryAcquireAsync(string lockName, string token, TimeSpan ttl)
        {
            if (Unreachable)
            {
                return ValueTask.FromResult<bool?>(null);
            }

            lock (_held)
            {
                if (IsHeld(lockName))
                {
                    return ValueTask.FromResult<bool?>(false);
                }

                Take(lockName, token, ttl);
                return ValueTask.FromResult<bool?>(true);
            }
        }

        public ValueTask ReleaseAsync(string lockName, string token)
        {
            lock (_held)
            {
                if (Holder(lockName) == token)
                {
                    _held.Remove(lockName);
                }
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask MarkNotSharedAsync(string lockName, string token, TimeSpan ttl)
        {
            lock (_held)
            {
                if (Holder(lockName) == token)
                {
                    Take(lockName, NotShared, ttl);
                }
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask<RenderLockState?> GetStateAsync(string lockName) => ValueTask.FromResult<RenderLockState?>(
            Unreachable ? null : Holder(lockName) switch
            {
                null => RenderLockState.Free,
                NotShared => RenderLockState.NotShared,
                _ => RenderLockState.Held,
            });
    }
}
