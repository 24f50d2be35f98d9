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
    public void AKeyThatDoesNotServeTheCloud_Is403Forbidden_NotTheMissingKeys401()
    {
        var mapped = CdnErrorMapper.Map(CdnErrorKind.ApiKeyForbidden);

        Assert.Equal((403, "forbidden"), (mapped.Status, mapped.Code));
    }
}
