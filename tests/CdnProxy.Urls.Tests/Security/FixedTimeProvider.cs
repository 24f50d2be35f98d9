
namespace CdnProxy.Urls.Tests.Security;

/// <summary>A clock that says what the test tells it to.</summary>
public sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public static FixedTimeProvider AtUnixMilliseconds(long milliseconds) => new(DateTimeOffset.FromUnixTimeMilliseconds(milliseconds));

    public static FixedTimeProvider AtUnixSeconds(double seconds) => AtUnixMilliseconds((long)Math.Round(seconds * 1000));

    public override DateTimeOffset GetUtcNow() => Now;
}
