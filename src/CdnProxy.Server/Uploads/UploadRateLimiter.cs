using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using CdnProxy.Core.Pipeline;
using CdnProxy.Server.Hosting;

namespace CdnProxy.Server.Uploads;

/// <summary>
/// <c>Uploads:RequestsPerMinute</c> per API key (by a digest of it, never the key itself), or per client address
/// before a key is known; a fixed one-minute window in this process. Refusals say when to retry.
/// </summary>
public sealed class UploadRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string>? _limiter;

    public UploadRateLimiter(CdnProxyOptions options)
        : this((options ?? throw new ArgumentNullException(nameof(options))).Uploads.RequestsPerMinute)
    {
    }

    /// <summary>A limiter of <paramref name="perMinute"/> calls per partition (0: unlimited), for another API's budget.</summary>
    public UploadRateLimiter(int perMinute)
    {
        if (perMinute > 0)
        {
            _limiter = PartitionedRateLimiter.Create<string, string>(partition => RateLimitPartition.GetFixedWindowLimiter(
                partition,
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true }));
        }
    }

    /// <summary>
    /// The partition of a request: its API key's digest, else its client address as the render queue tells clients
    /// apart (<see cref="ClientLines"/>: an IPv6 client by its /56, what one home is given).
    /// </summary>
    public static string Partition(string? apiKey, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return apiKey is { Length: > 0 }
            ? "key:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)), 0, 12)
            : "ip:" + ClientLines.KeyOf(context.Connection.RemoteIpAddress);
    }

    /// <summary>Takes one permit; false (with when to retry) when the partition's window is used up.</summary>
    public bool TryAcquire(string partition, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (_limiter is null)
        {
            return true;
        }

        using var lease = _limiter.AttemptAcquire(partition);
        if (lease.IsAcquired)
        {
            return true;
        }

        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
        return false;
    }

    public void Dispose() => _limiter?.Dispose();
}
