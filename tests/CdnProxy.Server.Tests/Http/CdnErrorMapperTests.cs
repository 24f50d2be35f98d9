using CdnProxy.Core;
using CdnProxy.Server.Http;

namespace CdnProxy.Server.Tests.Http;

public class CdnErrorMapperTests
{
    public static TheoryData<CdnErrorKind> EveryKind => new(Enum.GetValues<CdnErrorKind>());

    [Theory]
    [MemberData(nameof(EveryKind))]
    public void EveryKind_HasItsOwnMapping_NotTheInternalFallback(CdnErrorKind kind)
    {
        Assert.NotSame(CdnErrorMapper.Internal, CdnErrorMapper.Map(kind));
    }

    [Theory]
    [InlineData(CdnErrorKind.OriginRefused)]
    [InlineData(CdnErrorKind.ReferencedFileNotFound)]
    public void RefusedOriginsAndMissingMergeImages_LookExactlyLikeAMissingOriginal(CdnErrorKind kind)
    {
        var missing = CdnErrorMapper.Map(CdnErrorKind.OriginNotFound);
        var mapped = CdnErrorMapper.Map(kind);

        Assert.Equal((missing.Status, missing.Code), (mapped.Status, mapped.Code));
    }

    [Fact]
    public void LoadShedding_IsNotLoggedPerRequest_AboveDebug() =>
        // One client's flood of distinct URLs is refused thousands of times a second; the metrics count it.
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Debug, CdnErrorMapper.Map(CdnErrorKind.Overloaded).LogLevel);

    [Fact]
    public void AKeyThatDoesNotServeTheCloud_Is403Forbidden_NotTheMissingKeys401()
    {
        var mapped = CdnErrorMapper.Map(CdnErrorKind.ApiKeyForbidden);

        Assert.Equal((403, "forbidden"), (mapped.Status, mapped.Code));
    }

    [Theory]
    [InlineData(CdnErrorKind.OriginThrottled, 41.2, 42)] // the origin's pause, rounded up
    [InlineData(CdnErrorKind.Overloaded, null, 3)] // the render queue's default
    [InlineData(CdnErrorKind.RenderTimeout, null, 3)] // 503 like the queue: the image face has always said when
    [InlineData(CdnErrorKind.RateLimited, 0.2, 1)] // at least a second
    [InlineData(CdnErrorKind.TooManyJobs, null, 3)] // a 429 says when to come back too
    public void RetryableRefusals_SayWhenToComeBack(CdnErrorKind kind, double? waitSeconds, int expected)
    {
        var wait = waitSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;

        Assert.Equal(expected, CdnErrorMapper.Map(kind).RetryAfterSeconds(wait, fallbackSeconds: 3));
    }

    [Theory]
    [InlineData(CdnErrorKind.QuotaExceeded)] // 507: waits for files to be deleted, not for time
    [InlineData(CdnErrorKind.OriginTimeout)]
    [InlineData(CdnErrorKind.InvalidArgument)]
    public void OtherFailures_SayNoRetryAfter_EvenWhenTheFailureCarriesAWait(CdnErrorKind kind)
    {
        Assert.Null(CdnErrorMapper.Map(kind).RetryAfterSeconds(TimeSpan.FromSeconds(5), fallbackSeconds: 3));
    }
}
