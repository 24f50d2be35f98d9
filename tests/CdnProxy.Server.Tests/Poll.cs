using System.Diagnostics;

namespace CdnProxy.Server.Tests;

/// <summary>Waiting in tests for what another thread or process makes true, within a generous bound.</summary>
internal static class Poll
{
    /// <summary>Returns once <paramref name="condition"/> holds; fails with <paramref name="failure"/> if it does not within <paramref name="within"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan within, string failure)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < within, failure);
            await Task.Delay(20);
        }
    }
}
