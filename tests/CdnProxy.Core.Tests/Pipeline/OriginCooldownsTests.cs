using CdnProxy.Core.Caching;
using CdnProxy.Core.Diagnostics;
using CdnProxy.Core.Pipeline;
using CdnProxy.Tests.Common;
using Microsoft.Extensions.Time.Testing;

namespace CdnProxy.Core.Tests.Pipeline;

public sealed class OriginCooldownsTests
{
    private static readonly RenditionCachePolicy Policy = new()
    {
        FailedFetchTtl = TimeSpan.FromSeconds(5),
        MaxOriginRetryAfter = TimeSpan.FromSeconds(60),
    };

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly FakeOriginStore _origin = new FakeOriginStore().Add("a.jpg", [1]).Add("b.jpg", [2]);

    [Theory]
    [InlineData(CdnErrorKind.OriginFailed)]
    [InlineData(CdnErrorKind.OriginTimeout)]
    public async Task AFailedFetch_IsAnsweredWithTheSameError_WithoutAskingTheOrigin_ForTheTtl(CdnErrorKind failure)
    {
        var cooldowns = new OriginCooldowns(_time, Policy);
        _origin.Failure = failure;

        var first = await Assert.ThrowsAsync<CdnException>(() => cooldowns.FetchAsync(_origin, "a.jpg", CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(4.9));
        var again = await Assert.ThrowsAsync<CdnException>(() => cooldowns.FetchAsync(_origin, "a.jpg", CancellationToken.None));

        Assert.Equal(1, _origin.Fetches);
        Assert.Equal((first.Kind, first.Message), (again.Kind, again.Message));
        Assert.Null(again.RetryAfter);

        _time.Advance(TimeSpan.FromSeconds(0.1));
        _origin.Failure = null;
        using var recovered = await cooldowns.FetchAsync(_origin, "a.jpg", CancellationToken.None);
        Assert.Equal(2, _origin.Fetches);
        Assert.NotNull(recovered);
    }

    [Fact]
    public async Task EveryRequestHeld_IsCountedOnce_WhicheverPathAsks()
    {
        using var counters = new CdnProxyCounters();
        var cooldowns = new OriginCooldowns(_time, Policy, counters: counters);
        _origin.Failure = CdnErrorKind.OriginFailed;
        await Assert.ThrowsAsync<CdnException>(() => cooldowns.FetchAsync(_origin, "a.jpg", CancellationToken.None));

        // A fetch (renders, merge images, ?info) and a check alone (files sent as stored) are each one request held.
        await Assert.ThrowsAsync<CdnException>(() => cooldowns.FetchAsync(_origin, "a.jpg", CancellationToken.None));
        Assert.NotNull(cooldowns.Held(_origin, "a.jpg"));
        Assert.Null(cooldowns.Held(_origin, "b.jpg"));

        Assert.Equal((1, 2L), (_origin.Fetches, counters.Snapshot().OriginHeld));
    }

    [Fact]
    public async Task AFailedFetch_HoldsOnlyThatFile()
    {
        var cooldowns = new OriginCooldowns(_time, Policy);
        _origin.Failure = CdnErrorKind.OriginFailed;
        await Assert.ThrowsAsync<CdnException>(() => cooldowns.FetchAsync(_origin, "a.jpg", CancellationToken.None));
        _origin.Failure = null;

        using var other = await cooldowns.FetchAsync(_origin, "b.jpg", CancellationToken.None);

        Assert.NotNull(other);
        Assert.Equal(2, _origin.Fetches);
    }

    [Fact]
    public async Task Forget_AsksThatOriginAgainForThatFile_OnlyThere()
    {
        var cooldowns = new OriginCooldowns(_time, Policy);
        var other = new FakeOriginStore().Add("a.jpg", [3]);
        _origin.Failure = CdnErrorKind.OriginFailed;
        other.Failure = CdnErrorKind.OriginFailed;
        await Assert.ThrowsAsync<CdnException>(() => cooldowns.FetchAsync(_origin, "a.jpg", CancellationToken.None));
        await Assert.ThrowsAsync<CdnException>(() => cooldowns.FetchAsync(_origin, "b.jpg", CancellationToken.None));
        await Assert.ThrowsAsync<CdnException>(() => cooldowns.FetchAsync(other, "a.jpg", CancellationToken.None));
        _origin.Failure = null;
        other.Failure = null;

        cooldowns.Forget(_origin, "a.jpg");

        using var stored = await cooldowns.FetchAsync(_origin, "a.jpg", CancellationToken.None);
        Assert.NotNull(cooldowns.Held(_origin, "b.jpg"));
        // Another origin's file of the same name (another tenant's cloud) stays held: its origin did fail.
        Assert.NotNull(cooldowns.Held(other, "a.jpg"));
        Assert.Equal((3, 1), (_origin.Fetches, other.Fetches));
    }

    [Fact]
    public async Task FailedFetchTtlZero_AsksTheOriginEveryTime()
    {
        var cooldowns = new OriginCooldowns(_time, Policy with { FailedFetchTtl = TimeSpan.Zero });
        _origin.Failure = CdnErrorKind.OriginFailed;

        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<CdnException>(() => cooldowns.FetchAsync(_origin, "a.jpg", CancellationToken.None));
        }

        Assert.Equal(3, _origin.Fetches);
    }

    [Fact]
    public async Task NotFound_IsNotRememberedHere()
    {
        var cooldowns = new OriginCooldowns(_time, Policy);

        Assert.Null(await cooldowns.FetchAsync(_origin, "missing.jpg", CancellationToken.None));
        Assert.Null(await cooldowns.FetchAsync(_origin, "missing.jpg", CancellationToken.None));

        Assert.Equal(2, _origin.Fetches);
    }

    [Fact]
    public async Task RetryAfter_PausesTheWholeOrigin_AndEachHeldFetchSaysHowLongIsLeft()
    {
        var cooldowns = new OriginCooldowns(_time, Policy);
        var elsewhere = new FakeOriginStore().Add("a.jpg", [3]);
        _origin.Failure = CdnErrorKind.OriginThrottled;
        _origin.FailureRetryAfter = TimeSpan.FromSeconds(10);

        var first = await Assert.ThrowsAsync<CdnException>(() => cooldowns.FetchAsync(_origin, "a.jpg", CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(4));
        var otherFile = await Assert.ThrowsAsync<CdnException>(() => cooldowns.FetchAsync(_origin, "b.jpg", CancellationToken.None));
        using var otherOrigin = await cooldowns.FetchAsync(elsewhere, "a.jpg", CancellationToken.None);

        Assert.Equal((CdnErrorKind.OriginThrottled, TimeSpan.FromSeconds(10)), (first.Kind, first.RetryAfter));
        Assert.Equal((CdnErrorKind.OriginThrottled, TimeSpan.FromSeconds(6)), (otherFile.Kind, otherFile.RetryAfter));
        Assert.Equal(1, _origin.Fetches);
        Assert.NotNull(otherOrigin);

        _time.Advance(TimeSpan.FromSeconds(6));
        _origin.Failure = null;
        using var after = await cooldowns.FetchAsync(_origin, "b.jpg", CancellationToken.None);
        Assert.Equal(2, _origin.Fetches);
    }

    [Fact]
    public async Task RetryAfter_IsCapped()
    {
        var cooldowns = new OriginCooldowns(_time, Policy);
        _origin.Failure = CdnErrorKind.OriginThrottled;
        _origin.FailureRetryAfter = TimeSpan.FromHours(1);

        var first = await Assert.ThrowsAsync<CdnException>(() => cooldowns.FetchAsync(_origin, "a.jpg", CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(60));
        _origin.Failure = null;
        using var after = await cooldowns.FetchAsync(_origin, "a.jpg", CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(60), first.RetryAfter);
        Assert.Equal(2, _origin.Fetches);
    }

    [Fact]
    public async Task RetryAfterNotHonoured_IsAPlainFailure_RememberedForThatFileOnly()
    {
        var cooldowns = new OriginCooldowns(_time, Policy with { MaxOriginRetryAfter = TimeSpan.Zero });
        _origin.Failure = CdnErrorKind.OriginThrottled;
        _origin.FailureRetryAfter = TimeSpan.FromSeconds(30);

        var first = await Assert.ThrowsAsync<CdnException>(() => cooldowns.FetchAsync(_origin, "a.jpg", CancellationToken.None));
        var again = await Assert.ThrowsAsync<CdnException>(() => cooldowns.FetchAsync(_origin, "a.jpg", CancellationToken.None));
        await Assert.ThrowsAsync<CdnException>(() => cooldowns.FetchAsync(_origin, "b.jpg", CancellationToken.None));

        Assert.Equal((CdnErrorKind.OriginFailed, CdnErrorKind.OriginFailed), (first.Kind, again.Kind));
        Assert.Null(first.RetryAfter);
        Assert.Equal(2, _origin.Fetches);
    }

    [Fact]
    public async Task CallerCancellation_IsNotRememberedAsAFailure()
    {
        var cooldowns = new OriginCooldowns(_time, Policy);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        using (_origin.Hold())
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cooldowns.FetchAsync(_origin, "a.jpg", cancelled.Token));
        }

        Assert.Null(cooldowns.Held(_origin, "a.jpg"));
    }
}
